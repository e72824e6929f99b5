"""Every route x every kind of visitor -> the expected status.

The matrix is keyed by (endpoint, method) and checked against app.url_map, so a route added without
an entry here fails `test_every_route_is_in_the_matrix`. Visitors: anonymous, an officer of city A
(whose data the URLs point at), an officer of city B, a ministry analyst, an administrator. Another
city's officer must always get 404 on city A's pages, files and history: never 403, never data.
"""
from __future__ import annotations

import pytest

from smartcity_survey.extensions import db
from smartcity_survey.models import City, EvidenceFile, Indicator, IndicatorValue, User
from smartcity_survey.services.evidence import CheckedUpload, store
from smartcity_survey.services.history import Actor
from tests.helpers_assessments import CITY_A, CITY_B, YEAR, quick_user
from tests.helpers_questionnaires import world_questionnaires

ROLES = ("anonymous", "akimat_a", "akimat_b", "analyst", "admin")
LOGIN = "login"  # a redirect to the sign-in page
#: outcomes of a request that was served (anything else is a refusal)
SERVED = (200, 302, 303, 422)
#: the state the matrix runs against: one area per workflow status
AREA_STATUS = {"ctm": "submitted", "agr": "verified", "edu": "draft"}


def row(anonymous, akimat_a, akimat_b, analyst, admin) -> dict[str, object]:
    return dict(zip(ROLES, (anonymous, akimat_a, akimat_b, analyst, admin)))


PUBLIC = row(200, 200, 200, 200, 200)
SIGNED_IN = row(LOGIN, 200, 200, 200, 200)
READ_CITY = row(LOGIN, 200, 404, 200, 200)
EDIT_CITY = row(LOGIN, 302, 404, 403, 403)
REVIEW_CITY = row(LOGIN, 403, 404, 302, 302)
REVIEWERS = row(LOGIN, 403, 403, 200, 200)
ADMIN_PAGE = row(LOGIN, 403, 403, 403, 200)
ADMIN_ACTION = row(LOGIN, 403, 403, 403, 302)
MODERATORS = row(LOGIN, 403, 403, 302, 302)

A = f"/assessments/{YEAR}/{CITY_A}"
Q = "/admin/questionnaires/small/1"

#: (endpoint, method) -> (path builder, form data (or its builder), expected status per visitor)
MATRIX = {
    ("static", "GET"): (lambda w: "/static/css/app.css", None, PUBLIC),
    ("rating.home", "GET"): (lambda w: "/", None, PUBLIC),
    ("rating.latest_rating", "GET"): (lambda w: "/rating", None, row(302, 302, 302, 302, 302)),
    ("rating.year_rating", "GET"): (lambda w: f"/rating/{YEAR}", None, PUBLIC),
    ("rating.city_breakdown", "GET"): (lambda w: f"/rating/{YEAR}/{CITY_A}", None, PUBLIC),
    ("rating.standard", "GET"): (lambda w: "/standard/2019", None, PUBLIC),
    ("api.year_scores", "GET"): (lambda w: f"/api/v1/years/{YEAR}/scores", None, PUBLIC),
    ("api.city_scores", "GET"): (lambda w: f"/api/v1/years/{YEAR}/cities/{CITY_A}/scores", None, PUBLIC),
    ("api.standard", "GET"): (lambda w: "/api/v1/standards/2019", None, PUBLIC),
    ("api.year_report", "GET"): (lambda w: f"/api/v1/years/{YEAR}/report", None, PUBLIC),
    ("api.city_report", "GET"): (lambda w: f"/api/v1/years/{YEAR}/cities/{CITY_A}/report", None, PUBLIC),
    ("reports.latest_national", "GET"): (lambda w: "/reports", None, row(302, 302, 302, 302, 302)),
    ("reports.show_national", "GET"): (lambda w: f"/reports/{YEAR}/national", None, PUBLIC),
    ("reports.show_city", "GET"): (lambda w: f"/reports/{YEAR}/cities/{CITY_A}", None, PUBLIC),
    ("reports.export_national", "GET"): (lambda w: f"/reports/{YEAR}/national.xlsx", None, PUBLIC),
    ("reports.export_city", "GET"): (lambda w: f"/reports/{YEAR}/cities/{CITY_A}.csv", None, PUBLIC),
    ("reports.export_city_table", "GET"): (lambda w: f"/reports/{YEAR}/cities/{CITY_A}/indicators.csv", None,
                                           PUBLIC),
    ("reports.dashboard_home", "GET"): (lambda w: "/dashboard", None, row(LOGIN, 302, 302, 302, 302)),
    ("reports.show_dashboard", "GET"): (lambda w: f"/dashboard/{YEAR}/{CITY_A}", None, READ_CITY),
    ("ops.healthz", "GET"): (lambda w: "/healthz", None, PUBLIC),
    ("auth.login", "GET"): (lambda w: "/login", None, PUBLIC),
    ("auth.login", "POST"): (lambda w: "/login", {"email": "nobody@x.kz", "password": "wrong!"}, PUBLIC),
    ("auth.logout", "POST"): (lambda w: "/logout", {}, row(LOGIN, 302, 302, 302, 302)),
    ("auth.password", "GET"): (lambda w: "/account/password", None, SIGNED_IN),
    ("auth.password", "POST"): (lambda w: "/account/password", {}, SIGNED_IN),  # empty: form shown again
    ("assessments.index", "GET"): (lambda w: "/assessments/", None, row(LOGIN, 302, 302, 200, 200)),
    ("assessments.overview", "GET"): (lambda w: f"{A}/", None, READ_CITY),
    ("assessments.edit_area", "GET"): (lambda w: f"{A}/areas/edu", None, READ_CITY),
    ("assessments.edit_area", "POST"): (lambda w: f"{A}/areas/edu", {}, EDIT_CITY),
    ("assessments.preview_area", "POST"): (lambda w: f"{A}/areas/edu/preview", {},
                                           row(LOGIN, 200, 404, 403, 403)),
    ("assessments.submit_area", "POST"): (lambda w: f"{A}/areas/edu/submit", {}, EDIT_CITY),
    ("assessments.submit_form", "POST"): (lambda w: f"{A}/submit", {}, EDIT_CITY),
    ("assessments.verify_area", "POST"): (lambda w: f"{A}/areas/ctm/verify", {}, REVIEW_CITY),
    ("assessments.return_area", "POST"): (lambda w: f"{A}/areas/ctm/return", {"return-comment": "why?"},
                                          REVIEW_CITY),
    ("assessments.reopen_area", "POST"): (lambda w: f"{A}/areas/agr/reopen", {"reopen-comment": "court order"},
                                          row(LOGIN, 403, 404, 403, 302)),
    ("assessments.review_queue", "GET"): (lambda w: "/assessments/review", None, REVIEWERS),
    ("assessments.bulk_upload", "GET"): (lambda w: f"{A}/bulk", None, row(LOGIN, 200, 404, 403, 403)),
    ("assessments.bulk_upload", "POST"): (lambda w: f"{A}/bulk", {}, row(LOGIN, 422, 404, 403, 403)),
    ("assessments.bulk_apply", "POST"): (lambda w: f"{A}/bulk/apply", {}, EDIT_CITY),
    ("assessments.bulk_template", "GET"): (lambda w: f"{A}/bulk/template.csv", None, READ_CITY),
    ("assessments.indicator_history", "GET"): (lambda w: f"{A}/indicators/ctm_hotline_109/history", None,
                                               READ_CITY),
    ("assessments.download_evidence", "GET"): (lambda w: f"/assessments/evidence/{w['evidence']}", None,
                                               READ_CITY),
    ("admin.list_users", "GET"): (lambda w: "/admin/users", None, ADMIN_PAGE),
    ("admin.create_user", "GET"): (lambda w: "/admin/users/new", None, ADMIN_PAGE),
    ("admin.create_user", "POST"): (lambda w: "/admin/users/new", {}, row(LOGIN, 403, 403, 403, 422)),
    ("admin.deactivate_user", "POST"): (lambda w: f"/admin/users/{w['target']}/deactivate", {}, ADMIN_ACTION),
    ("admin.reactivate_user", "POST"): (lambda w: f"/admin/users/{w['target']}/reactivate", {}, ADMIN_ACTION),
    ("admin.reset_password", "GET"): (lambda w: f"/admin/users/{w['target']}/password", None, ADMIN_PAGE),
    ("admin.reset_password", "POST"): (lambda w: f"/admin/users/{w['target']}/password", {},
                                       row(LOGIN, 403, 403, 403, 422)),
    ("admin.audit_log", "GET"): (lambda w: "/admin/audit", None, ADMIN_PAGE),
    ("admin.list_questionnaires", "GET"): (lambda w: "/admin/questionnaires", None, ADMIN_PAGE),
    ("admin.import_questionnaire", "GET"): (lambda w: "/admin/questionnaires/import", None, ADMIN_PAGE),
    ("admin.import_questionnaire", "POST"): (lambda w: "/admin/questionnaires/import", {},
                                             row(LOGIN, 403, 403, 403, 422)),  # no file: the form again
    ("admin.questionnaire", "GET"): (lambda w: Q, None, ADMIN_PAGE),
    ("admin.export_xlsform", "GET"): (lambda w: f"{Q}/xlsform.xlsx", None, ADMIN_PAGE),
    ("admin.open_questionnaire", "POST"): (lambda w: f"{Q}/open", {"scope": "all"}, ADMIN_ACTION),
    ("admin.close_questionnaire", "POST"): (lambda w: f"{Q}/close", {}, ADMIN_ACTION),
    ("admin.close_city", "POST"): (lambda w: f"{Q}/cities/{CITY_A}/close", {}, ADMIN_ACTION),
    ("admin.new_version", "POST"): (lambda w: f"{Q}/new-version", {}, ADMIN_ACTION),
    ("admin.access_mode", "POST"): (lambda w: f"{Q}/access-mode", {"mode": "invitation"}, ADMIN_ACTION),
    ("admin.response_counts", "GET"): (lambda w: f"{Q}/responses", None, ADMIN_PAGE),
    ("admin.export_responses", "GET"): (lambda w: f"{Q}/responses.sav", None, ADMIN_PAGE),
    ("admin.invitations", "GET"): (lambda w: f"{Q}/invitations", None, ADMIN_PAGE),
    ("admin.invitations", "POST"): (lambda w: f"{Q}/invitations", {}, row(LOGIN, 403, 403, 403, 422)),
    ("moderation.queue", "GET"): (lambda w: "/moderation/", None, REVIEWERS),
    ("moderation.decide", "POST"): (lambda w: f"/moderation/suggestions/{w['suggestion']}",
                                    lambda w: {f"s{w['suggestion']}-area": "its", f"s{w['suggestion']}-approve": "y"},
                                    MODERATORS),
    # public questionnaire pages (questionnaire "small", open in city A); no draft in these clients, so
    # the pages of a draft send the visitor back to the landing page
    ("survey.picker", "GET"): (lambda w: "/q/", None, PUBLIC),
    ("survey.landing", "GET"): (lambda w: f"/q/small/{CITY_A}", None, PUBLIC),
    ("survey.start", "POST"): (lambda w: f"/q/small/{CITY_A}/start", {}, row(303, 303, 303, 303, 303)),
    ("survey.section", "GET"): (lambda w: f"/q/small/{CITY_A}/s/1", None, row(302, 302, 302, 302, 302)),
    ("survey.section", "POST"): (lambda w: f"/q/small/{CITY_A}/s/1", {}, row(302, 302, 302, 302, 302)),
    ("survey.review", "GET"): (lambda w: f"/q/small/{CITY_A}/review", None, row(302, 302, 302, 302, 302)),
    ("survey.submit", "POST"): (lambda w: f"/q/small/{CITY_A}/submit", {}, row(303, 303, 303, 303, 303)),
    ("survey.saved", "GET"): (lambda w: f"/q/small/{CITY_A}/saved", None, PUBLIC),
    ("survey.thanks", "GET"): (lambda w: f"/q/small/{CITY_A}/thanks", None, PUBLIC),
}


def _routes(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_in_the_matrix(app):
    """A route without an entry (or an entry without a route) fails: access is decided, never assumed."""
    routes = _routes(app)
    assert sorted(routes - MATRIX.keys()) == [], "add these routes to MATRIX"
    assert sorted(MATRIX.keys() - routes) == [], "these MATRIX entries match no route"


@pytest.fixture
def world(year_open, password_hash, app):
    """City A with a submitted, a verified and a draft area, an evidence file, and one client per visitor."""
    accounts = {"akimat_a": ("officer@almaty.kz", "akimat", CITY_A),
                "akimat_b": ("officer@astana.kz", "akimat", CITY_B),
                "analyst": ("analyst@gov.kz", "analyst", None), "admin": ("admin@gov.kz", "admin", None)}
    users = {role: quick_user(*spec, password_hash) for role, spec in accounts.items()}
    target = quick_user("target@almaty.kz", "akimat", CITY_A, password_hash)
    city = db.session.scalar(db.select(City).where(City.slug == CITY_A))
    for indicator in year_open.standard.indicators:
        if indicator.area.code in AREA_STATUS:
            db.session.add(IndicatorValue(city=city, year=year_open, indicator=indicator, value=1.0,
                                          status=AREA_STATUS[indicator.area.code], updated_by="setup"))
    db.session.flush()
    value = db.session.scalar(db.select(IndicatorValue).join(Indicator).where(Indicator.code == "ctm_hotline_109"))
    store(value, CheckedUpload("scan.pdf", "application/pdf", ".pdf", b"%PDF-1.4 x"), Actor("setup"),
          app.config["EVIDENCE_DIR"])
    targets = world_questionnaires(CITY_A)
    db.session.commit()
    clients = {"anonymous": app.test_client()} | {role: _signed_in(app, user) for role, user in users.items()}
    return {"clients": clients, "target": target.id, "evidence": db.session.scalar(db.select(EvidenceFile.id))} \
        | targets


def _signed_in(app, user: User):
    """A client holding the user's session (sign-in itself is tested in test_auth.py)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user.get_id(), True
    return client


def _outcome(response) -> object:
    if response.status_code == 302 and "/login" in response.location:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("key", sorted(MATRIX), ids=lambda key: f"{key[1]} {key[0]}")
def test_route_answers_each_visitor_as_expected(world, key):
    """Each visitor gets the status the matrix gives (POSTs by the only allowed visitor run last)."""
    endpoint, method = key
    path_of, data, expected = MATRIX[key]
    path, data = path_of(world), data(world) if callable(data) else data
    actual = {}
    for role in sorted(ROLES, key=lambda r: expected[r] in SERVED):  # refusals first: no side effects
        with world["clients"][role].open(path, method=method, data=data) as response:
            actual[role] = _outcome(response)
    assert actual == expected


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_history_and_admin_log_have_no_write_route(world, method):
    """The history of a value and the admin log cannot be changed through any HTTP method."""
    for path in (f"{A}/indicators/ctm_hotline_109/history", "/admin/audit"):
        assert world["clients"]["admin"].open(path, method=method).status_code == 405


def test_another_citys_officer_finds_nothing_anywhere(world):
    """Officer B gets the plain 404 page on every city-A URL, known or not, so nothing can be probed."""
    client = world["clients"]["akimat_b"]
    for path in (f"{A}/", f"{A}/areas/ctm", f"{A}/areas/nope", f"{A}/indicators/nope/history",
                 f"{A}/bulk/template.csv", f"/assessments/{YEAR + 50}/{CITY_A}/",
                 f"/assessments/evidence/{world['evidence']}", f"/dashboard/{YEAR}/{CITY_A}",
                 f"/dashboard/{YEAR + 50}/{CITY_A}"):
        with client.get(path) as response:
            page = response.get_data(as_text=True)
        assert response.status_code == 404 and "This page does not exist" in page, path
        assert "Almaty" not in page and "Алматы" not in page and "scan.pdf" not in page, path
