"""Evidence files: content-checked, size-limited, stored under random names outside static/, served
only to users who may see the city."""
import hashlib
import io
from pathlib import Path

import pytest

from smartcity_survey.extensions import db
from smartcity_survey.models import EvidenceFile, IndicatorValue
from smartcity_survey.services.evidence import clean_file_name, sniff
from tests.helpers_assessments import area_url, post_area, signed_in, stored

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(client, content: bytes, name: str, code: str = "ctm_hotline_109"):
    return post_area(client, "ctm", {code: {"value": "1", "evidence_file": (io.BytesIO(content), name)}})


def fetch(client, url: str):
    """GET a URL and close the response (a download holds its file open until then)."""
    with client.get(url) as response:
        response.get_data()
    return response


def files_on_disk(app) -> list[Path]:
    folder = Path(app.config["EVIDENCE_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("content, content_type", [(PDF, "application/pdf"), (PNG, "image/png"),
                                                   (JPEG, "image/jpeg")])
def test_pdf_png_and_jpeg_are_stored_under_a_random_name(app, people, content, content_type):
    """An accepted file is kept outside static/ under a random name, with its size and SHA-256."""
    client = signed_in(app, people["officer_a"])
    assert upload(client, content, "scan.bin").status_code == 302
    file = db.session.scalar(db.select(EvidenceFile))
    assert file.content_type == content_type and file.size == len(content)
    assert file.sha256 == hashlib.sha256(content).hexdigest() and file.original_name == "scan.bin"
    [path] = files_on_disk(app)
    assert path.name == file.stored_name and path.read_bytes() == content and "scan" not in path.name
    assert "static" not in path.parts and file.uploaded_by == people["officer_a"]
    assert "scan.bin" in client.get(area_url("ctm")).get_data(as_text=True)


def test_too_big_a_file_is_refused_and_nothing_is_written(app, people):
    """Over EVIDENCE_MAX_BYTES: a clear message at the field; no value, no file, no row."""
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    client = signed_in(app, people["officer_a"])
    response = upload(client, PDF + b"0" * 2048, "big.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "big.pdf: the file is larger than" in page
    assert "Files you chose were not kept: choose them again" in page
    assert files_on_disk(app) == [] and db.session.scalar(db.select(db.func.count(IndicatorValue.id))) == 0


def test_the_default_limit_is_ten_megabytes(app, people):
    """A file of just over 10 MB is refused, one of exactly 10 MB is accepted."""
    client = signed_in(app, people["officer_a"])
    limit = 10 * 1024 * 1024
    assert app.config["EVIDENCE_MAX_BYTES"] == limit
    assert upload(client, PDF + b"0" * (limit - len(PDF) + 1), "big.pdf").status_code == 422
    assert upload(client, PDF + b"0" * (limit - len(PDF)), "ok.pdf").status_code == 302


def test_a_request_over_the_global_limit_gets_the_413_page(app, people):
    """A body over MAX_CONTENT_LENGTH is refused before any view runs."""
    app.config["MAX_CONTENT_LENGTH"] = 4096
    client = signed_in(app, people["officer_a"])
    response = upload(client, PDF + b"0" * 8192, "huge.pdf")
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)


@pytest.mark.parametrize("content, name", [
    (b"<html><script>alert(1)</script></html>", "report.pdf"),  # HTML disguised as a PDF
    (b"MZ\x90\x00\x03" + b"\x00" * 40, "photo.jpg"),  # a Windows program disguised as a photo
    (b"GIF89a" + b"\x00" * 20, "chart.png"),  # a real image of a type not accepted
    (b"", "empty.pdf"),
])
def test_the_type_is_checked_by_content_not_by_name(app, people, content, name):
    """A file whose bytes are not PDF, PNG or JPEG is refused whatever its name says."""
    client = signed_in(app, people["officer_a"])
    response = upload(client, content, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and name in page
    assert "only PDF, PNG and JPEG" in page or "the file is empty" in page
    assert files_on_disk(app) == [] and db.session.scalar(db.select(db.func.count(EvidenceFile.id))) == 0


@pytest.mark.parametrize("name, shown", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("/abs/path/отчёт 2024.pdf", "отчёт 2024.pdf"),
    ("....pdf", "pdf"),
    ("a\x00b<script>.pdf", "abscript.pdf"),
    ("..", "evidence"),
])
def test_path_tricks_in_the_file_name_go_nowhere(app, people, name, shown):
    """The uploader's name is only displayed, cleaned; the stored name is random, inside EVIDENCE_DIR."""
    client = signed_in(app, people["officer_a"])
    assert upload(client, PDF, name).status_code == 302
    file = db.session.scalar(db.select(EvidenceFile))
    assert file.original_name == shown
    [path] = files_on_disk(app)
    assert path.parent == Path(app.config["EVIDENCE_DIR"]) and path.name == file.stored_name


def test_clean_file_name_drops_windows_paths_and_keeps_long_names_short():
    """Backslash paths keep only their last part; a very long name is cut, keeping its extension."""
    assert clean_file_name("..\\..\\windows\\system32\\x.pdf") == "x.pdf"
    assert clean_file_name("C:\\Users\\a\\scan.png") == "scan.png"
    cleaned = clean_file_name("a" * 500 + ".pdf")
    assert len(cleaned) == 120 and cleaned.endswith(".pdf")
    assert sniff(b"%PDF-1.7") == ("application/pdf", ".pdf") and sniff(b"PK\x03\x04") is None


def test_download_is_an_attachment_with_nosniff(app, people):
    """The file comes back as a download of the sniffed type, never rendered inline."""
    client = signed_in(app, people["officer_a"])
    upload(client, PDF, "отчёт.pdf")
    file = db.session.scalar(db.select(EvidenceFile))
    response = fetch(client, f"/assessments/evidence/{file.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_evidence_is_served_only_to_those_who_may_see_the_city(app, people):
    """Own officers, analysts and admins get the file; another city's officer 404; anonymous to sign-in."""
    upload(signed_in(app, people["officer_a"]), PDF, "r.pdf")
    url = f"/assessments/evidence/{db.session.scalar(db.select(EvidenceFile.id))}"
    assert fetch(signed_in(app, people["officer_a2"]), url).status_code == 200
    assert fetch(signed_in(app, people["analyst"]), url).status_code == 200
    assert fetch(signed_in(app, people["admin"]), url).status_code == 200
    assert fetch(signed_in(app, people["officer_b"]), url).status_code == 404
    anonymous = fetch(app.test_client(), url)
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    assert signed_in(app, people["analyst"]).get("/assessments/evidence/999").status_code == 404


def test_a_file_missing_from_disk_is_a_404(app, people):
    """A row whose file is gone answers 404, not a server error."""
    client = signed_in(app, people["officer_a"])
    upload(client, PDF, "r.pdf")
    for path in files_on_disk(app):
        path.unlink()
    file_id = db.session.scalar(db.select(EvidenceFile.id))
    assert client.get(f"/assessments/evidence/{file_id}").status_code == 404


def test_a_file_alone_counts_as_a_change(app, people):
    """Adding only a file to an already saved value bumps its version and is recorded."""
    client = signed_in(app, people["officer_a"])
    post_area(client, "ctm", {"ctm_hotline_109": {"value": "1"}})
    version = stored("ctm_hotline_109").version
    assert upload(client, PDF, "later.pdf").status_code == 302
    value = stored("ctm_hotline_109")
    assert value.version == version + 1 and [f.original_name for f in value.evidence_files] == ["later.pdf"]
