"""Security headers on pages, API answers and errors."""
import pytest

from smartcity_survey.extensions import db


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/standards/1990", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path):
    """CSP without inline script, no framing, nosniff and a referrer policy, whatever the status."""
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP here


def test_hsts_only_over_https(client):
    """HSTS is sent when the request came over HTTPS."""
    assert "max-age=" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_templates_have_no_inline_script(app):
    """No template carries an inline <script> body or an on* handler, which the CSP would block."""
    import re
    from pathlib import Path

    root = Path(app.template_folder)
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        inline = [m for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text)
                  if 'type="application/json"' not in m.group(0)]
        handlers = re.findall(r"\son[a-z]+\s*=", text)
        if inline or handlers:
            offenders.append(template.name)
    assert offenders == []


def test_proxy_headers_are_trusted_only_when_configured(app):
    """Behind one trusted proxy X-Forwarded-Proto https makes the request secure (HSTS); untrusted, it does not."""
    from smartcity_survey import create_app

    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert "Strict-Transport-Security" not in app.test_client().get("/", headers=headers).headers
    proxied = create_app({**app.config, "TRUSTED_PROXY_HOPS": 1})
    try:
        assert "Strict-Transport-Security" in proxied.test_client().get("/", headers=headers).headers
    finally:
        with proxied.app_context():
            db.engine.dispose()
