"""Generated bad input against every form, importer and API endpoint: never a 5xx, every rejection names
its field or row; script payloads render escaped; formula-looking text leaves exports neutralised;
oversized bodies are refused before parsing.

The normal suite runs a few examples per property. The long run, ≥ 10,000 generated cases in all:

    FUZZ_EXAMPLES=1000 python -m pytest tests/test_fuzz.py -p no:cacheprovider --hypothesis-show-statistics
"""
from __future__ import annotations

import csv
import io
import os
import urllib.parse

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from smartcity_survey.extensions import db, limiter
from smartcity_survey.io.spreadsheets import FORMULA_STARTS, safe_cell, to_csv, to_xlsx
from smartcity_survey.services.standards import ImportRejected
from tests.helpers_assessments import area_url, page_form, post_area, post_multipart, signed_in
from tests.helpers_auth import PASSWORD
from tests.survey_helpers import BASE, GOOD_PAGES, answer_all, errors_in, grouped, start  # noqa: F401

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])

XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<svg/onload=alert(1)>",
       "javascript:alert(1)", "</textarea><script>alert(2)</script>", "{{ 7*7 }}", "{% raw %}"]
#: payloads that are markup: each must appear only escaped
MARKUP = [p for p in XSS if "<" in p]
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]
NASTY = XSS + FORMULAS + ["", " ", "\x00", "0" * 400, "1e309", "-1", "NaN", "١٢٣", "¹", "\u202e", "n/a", "yes", "5,5"]
TEXT = st.one_of(st.text(max_size=120), st.sampled_from(NASTY))
FORM_DATA = st.dictionaries(st.sampled_from(["email", "password", "current", "new", "confirm", "role", "city",
                                             "csrf_token", "x" * 30, "submit"]), TEXT, max_size=6)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _names_a_field(response) -> bool:
    """A refused form marks the field it refuses (or, for the login, says why in the page)."""
    html = _html(response)
    return 'aria-invalid="true"' in html or 'class="field-error"' in html or "flash error" in html


def _refused_for_nul(response, data: dict) -> bool:
    """A NUL anywhere in what was sent: refused with 400 naming the field (input_guard.py) before the
    view reads anything. False when nothing sent had one."""
    sent = [*data, *(item for value in data.values() for item in (value if isinstance(value, list) else [value]))]
    if not any("\x00" in str(item) for item in sent):
        return False
    assert response.status_code == 400, response.status_code
    assert "contains a NUL character" in _html(response)
    return True


@pytest.fixture
def unlimited(monkeypatch):
    """Generated cases come from one address: the per-address limits are not what is under test here."""
    monkeypatch.setattr(limiter, "enabled", False)


# ------------------------------------------------------------------------------------------------ forms
def test_login_form(app, people, unlimited):
    """Any posted login form: a page or a redirect, never a 5xx."""
    client = app.test_client()

    @FUZZ
    @given(FORM_DATA)
    def check(data):
        response = client.post("/login", data=data)
        if _refused_for_nul(response, data):
            return
        assert response.status_code < 500
        assert response.status_code in (200, 302, 422)

    check()


def test_change_password_form(app, people, unlimited):
    """Any posted change-password form: refused at a named field unless it really is the current password."""
    client = signed_in(app, people["analyst"])

    @FUZZ
    @given(FORM_DATA)
    def check(data):
        data.pop("current", None)  # a wrong current password every time: the account stays usable
        response = client.post("/account/password", data=data)
        if _refused_for_nul(response, data):
            return
        assert response.status_code in (200, 422), response.status_code
        assert _names_a_field(response)

    check()


def test_admin_create_user_form(app, people, unlimited):
    """Any posted new-account form: created, or refused at a named field."""
    client = signed_in(app, people["admin"])

    @FUZZ
    @given(FORM_DATA, st.sampled_from(["akimat", "analyst", "admin", "", "root"]),
           st.sampled_from(["", "almaty", "nowhere"]))
    def check(data, role, city):
        sent = {**data, "role": role, "city": city}
        response = client.post("/admin/users/new", data=sent)
        if _refused_for_nul(response, sent):
            return
        assert response.status_code in (302, 422), response.status_code
        if response.status_code == 422:
            assert _names_a_field(response)
        db.session.rollback()

    check()


def test_akimat_area_form(app, people, unlimited):
    """Any values in the akimat area form: saved, or refused (422) with the field marked; never a 5xx."""
    client = signed_in(app, people["officer_a"])
    page = client.get(area_url("ctm")).get_data(as_text=True)
    keys = sorted(page_form(page))
    assert keys, "the area form has fields"

    @FUZZ
    @given(st.dictionaries(st.sampled_from(keys), TEXT, min_size=1, max_size=8))
    def check(changes):
        data = {**page_form(page), **changes}
        data.pop("csrf_token", None)
        response = post_multipart(client, area_url("ctm"), data)
        if _refused_for_nul(response, data):
            return
        assert response.status_code in (200, 302, 409, 422), response.status_code
        if response.status_code == 422:
            assert _names_a_field(response)

    check()


def test_questionnaire_section_posts(grouped, client, unlimited):
    """Any answers posted to any section: a redirect, or the page again whose errors name its questions."""
    start(client)
    names = {"uses_app", "app_rating", "household", "used", "transport", "wifi", "app_wish", "top", "spend",
             "comment"}

    @FUZZ
    @given(st.integers(1, 5), st.dictionaries(st.sampled_from(sorted(names) + ["bogus", "action"]),
                                              st.one_of(TEXT, st.lists(TEXT, max_size=4)), max_size=6),
           st.sampled_from(["next", "back", "save", "", "explode"]))
    def check(number, data, action):
        sent = {**data, "action": action}
        response = client.post(f"{BASE}/s/{number}", data=sent)
        if _refused_for_nul(response, sent):
            return
        assert response.status_code in (200, 303, 404), response.status_code
        if response.status_code == 200:
            assert set(errors_in(_html(response))) <= names

    check()


def test_review_and_submit_with_generated_drafts(grouped, app, unlimited):
    """Whatever was saved to the draft, the review renders and the submit stores or sends back to a page."""

    @FUZZ
    @given(st.dictionaries(st.sampled_from(["household", "spend", "comment", "app_wish", "wifi"]), TEXT, max_size=4))
    @example({"comment": "\x00"})  # found on PostgreSQL: a NUL reached a text column, a 500
    def check(answers):
        client = app.test_client()
        answer_all(client)
        client.post(f"{BASE}/s/4", data={"action": "back", **{k: v for k, v in answers.items()}})
        assert client.get(f"{BASE}/review").status_code in (200, 302)
        response = client.post(f"{BASE}/submit")
        assert response.status_code == 303

    check()


# ------------------------------------------------------------------------------------------------ API
@FUZZ
@given(year=st.integers(-10**12, 10**12), slug=st.text(max_size=40))
@example(year=0, slug="0/")  # found by a 1,000-example run: "…/0//scores" was an HTML 308, not JSON
@example(year=2**31, slug="x")  # found on PostgreSQL: "integer out of range" was a 500
def test_api_endpoints(client, seeded, year, slug):
    """Any year and city slug: JSON, 200 or 404, never a 5xx."""
    quoted = urllib.parse.quote(slug, safe="") or "x"
    for path in (f"/api/v1/years/{year}/scores", f"/api/v1/years/{year}/cities/{quoted}/scores",
                 f"/api/v1/standards/{year}", f"/api/v1/years/{year}/report",
                 f"/api/v1/years/{year}/cities/{quoted}/report"):
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response.is_json


# ------------------------------------------------------------------------------------------- importers
def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode("utf-8", "surrogatepass")


def _located(error) -> bool:
    return error.row is not None or error.column is not None or "file" in error.message


CELL = st.one_of(st.text(st.characters(exclude_categories=["Cs"]), max_size=30), st.sampled_from(NASTY),
                 st.sampled_from(["almaty", "astana", "ctm_hotline_109", "1", "0.5", "n/a", "100", "yes"]))


def _rows(columns: int):
    return st.lists(st.lists(CELL, min_size=columns, max_size=columns), max_size=12)


@FUZZ
@given(header=st.sampled_from([["city", "indicator", "value"], ["city", "indicator", "value", "evidence"],
                               ["city", "value"], ["a", "b", "c"]]), data=st.data())
def test_indicator_values_import(year_open, header, data):
    """Generated indicator files: validated rows, or ImportRejected whose every error names a row or column."""
    from smartcity_survey.services.indicator_values import validate_values_file

    content = _csv(header, data.draw(_rows(len(header))))
    try:
        validate_values_file(2020, io.BytesIO(content), "values.csv")
    except ImportRejected as exc:
        assert exc.errors and all(_located(e) for e in exc.errors), [str(e) for e in exc.errors]


@FUZZ
@given(blob=st.binary(max_size=300), name=st.sampled_from(["x.csv", "x.xlsx", "x.txt", "x"]))
def test_indicator_import_of_arbitrary_bytes(year_open, blob, name):
    """Bytes that are not a table are refused as a file, not a crash."""
    from smartcity_survey.services.indicator_values import validate_values_file

    try:
        validate_values_file(2020, io.BytesIO(blob), name)
    except ImportRejected as exc:
        assert all(_located(e) for e in exc.errors)


def test_responses_import(grouped, app):
    """Generated paper-response files: imported whole, or refused with every error at a row or column."""
    from smartcity_survey.services.responses import import_responses

    header = ["respondent_id", "city", "uses_app", "household", "spend", "comment"]

    @FUZZ
    @given(_rows(len(header)))
    def check(rows):
        try:
            import_responses("grouped", io.BytesIO(_csv(header, rows)), "responses.csv")
        except ImportRejected as exc:
            assert exc.errors and all(_located(e) for e in exc.errors), [str(e) for e in exc.errors]
        finally:
            db.session.rollback()

    check()


def test_margins_load(seeded, tmp_path):
    """Generated margins files: loaded, or refused with every error at a row or column."""
    from smartcity_survey.services.margins import load_margins

    @FUZZ
    @given(st.sampled_from([["city", "variable", "category", "share"], ["city", "share"]]), st.data())
    def check(header, data):
        path = tmp_path / "margins.csv"
        path.write_bytes(_csv(header, data.draw(_rows(len(header)))))
        try:
            load_margins(path)
        except ImportRejected as exc:
            assert exc.errors and all(_located(e) for e in exc.errors), [str(e) for e in exc.errors]
        finally:
            db.session.rollback()

    check()


# ----------------------------------------------------------------------------------------- XSS, exports
@pytest.mark.parametrize("payload", MARKUP)
def test_free_text_answers_render_escaped_on_the_review(grouped, client, payload):
    """A script typed as an answer shows as text on the section page and on the review."""
    answer_all(client, {**GOOD_PAGES, 3: {"app_wish": payload}, 4: {**GOOD_PAGES[4], "comment": payload}})
    for html in (_html(client.get(f"{BASE}/review")), _html(client.get(f"{BASE}/s/4"))):
        assert payload not in html and str(escape(payload)) in html


@pytest.mark.parametrize("payload", MARKUP)
def test_evidence_notes_render_escaped(app, people, payload):
    """An evidence note with markup shows as text to the officer and to the ministry's analyst."""
    client = signed_in(app, people["officer_a"])
    assert post_area(client, "ctm", {"ctm_hotline_109": {"value": "1", "evidence_note": payload}}).status_code == 302
    for viewer in (client, signed_in(app, people["analyst"])):
        html = _html(viewer.get(area_url("ctm")))
        assert payload not in html and str(escape(payload)) in html


@pytest.mark.parametrize("version", ["¹", "٣", "²³"])
def test_a_version_in_other_digits_is_no_crash(app, people, version):
    """Found by a 1,000-example run: '¹' passes str.isdigit() but not int(); the form must not 500."""
    client = signed_in(app, people["officer_a"])
    response = post_area(client, "ctm", {"ctm_hotline_109": {"value": "1", "version": version}})
    assert response.status_code in (302, 409, 422)


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>@example.kz", '"><img src=x onerror=alert(1)>@a.kz'])
def test_account_names_render_escaped(app, people, payload):
    """An e-mail with markup, whether the form takes it or not, is shown as text (form and account list)."""
    client = signed_in(app, people["admin"])
    response = client.post("/admin/users/new", data={"email": payload, "role": "analyst", "city": "",
                                                     "password": PASSWORD, "confirm": PASSWORD})
    pages = [_html(response), _html(client.get("/admin/users"))]
    assert all(payload not in html for html in pages)


@given(st.one_of(st.sampled_from(FORMULAS), st.text(max_size=20).map(lambda t: "=" + t)))
@example("=\r")  # found by a 1,000-example run: a CR came back from the XLSX as LF
@FUZZ
def test_exports_neutralise_formulas(text):
    """CSV and XLSX exports: a cell starting with =, +, -, @ is prefixed so Excel shows it as text."""
    from openpyxl import load_workbook

    csv_text = to_csv(["name"], [[text]]).decode("utf-8-sig")
    assert "\n'" + text[:1] in csv_text.replace('"', "")
    sheet = load_workbook(io.BytesIO(to_xlsx(["name"], [[text]]))).active
    written = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")  # XML has no CR
    assert sheet.cell(2, 1).value == ("'" + written if written.startswith(FORMULA_STARTS) else written)
    assert not str(safe_cell(text)).startswith(FORMULA_STARTS)


@pytest.mark.parametrize("payload", FORMULAS)
def test_bulk_template_export_neutralises_evidence_notes(app, people, payload):
    """The bulk-fill template (a CSV for Excel) carries officers' evidence notes neutralised; a round trip
    through the importer gets the note back unchanged."""
    from smartcity_survey.services.indicator_values import validate_values_file

    client = signed_in(app, people["officer_a"])
    assert post_area(client, "ctm", {"ctm_hotline_109": {"value": "1", "evidence_note": payload}}).status_code == 302
    exported = client.get("/assessments/2020/almaty/bulk/template.csv").get_data()
    line = next(row for row in csv.reader(io.StringIO(exported.decode("utf-8-sig"))) if "ctm_hotline_109" in row)
    assert line[-1] == "'" + payload  # evidence, the last column
    rows = validate_values_file(2020, io.BytesIO(exported), "template.csv")
    assert next(r for r in rows if r.indicator == "ctm_hotline_109").evidence == payload


# ------------------------------------------------------------------------------------------- body size
def test_oversized_body_is_refused_before_parsing(grouped, client, app, monkeypatch):
    """A body over MAX_CONTENT_LENGTH is answered 413 without reading the form."""
    app.config["MAX_CONTENT_LENGTH"] = 1024
    read = []
    monkeypatch.setattr("smartcity_survey.survey.views_pages.read_page",
                        lambda *a: read.append(1) or {})
    start(client)
    response = client.post(f"{BASE}/s/1", data={"comment": "x" * 5000, "action": "next"})
    assert response.status_code == 413 and read == []
    assert "too large" in _html(response)
