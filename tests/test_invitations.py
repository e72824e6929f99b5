"""Invitation mode: generating single-use codes (service and CLI), hashing, the CSV of links, single use,
and the access mode setting."""
from __future__ import annotations

import csv
import io
import re

import pytest

from smartcity_survey.extensions import db
from smartcity_survey.models import Invitation, ResponseDraft
from smartcity_survey.services import DomainError
from smartcity_survey.services.invitations import (CODE_ALPHABET, InvitationRefused, code_hash, find_invitation,
                                                   generate_invitations, invitations_csv, normalise_code,
                                                   spend_invitation)
from tests.helpers import invoke
from tests.survey_helpers import BASE, almaty, count, drafts, grouped, invitations, invited, start  # noqa: F401
from tests.xlsform_helpers import SMALL_FORM

CODE = re.compile(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}")


def test_generate_makes_distinct_readable_codes_stored_only_hashed(invited):
    """N codes, all different, XXXX-XXXX-XXXX without look-alike characters; the table holds hashes only."""
    codes = generate_invitations(invited, almaty(), 50)
    db.session.commit()
    assert len(set(codes)) == 50 and all(CODE.fullmatch(code) for code in codes)
    stored = invitations()
    assert {i.code_hash for i in stored} == {code_hash(code) for code in codes}
    assert all(i.used_on is None and i.city.slug == "almaty" for i in stored)
    dump = repr([(i.code_hash, i.created_at) for i in stored])
    assert not any(normalise_code(code) in dump or code in dump for code in codes)


def test_codes_match_however_they_are_typed(invited):
    """Lower case, no dashes and spaces find the same invitation."""
    [code] = generate_invitations(invited, almaty(), 1)
    typed = " " + code.lower().replace("-", " ") + " "
    assert find_invitation(invited, almaty(), typed).code_hash == code_hash(code)


def test_generate_is_refused_in_open_mode_and_for_bad_counts(grouped):
    """Codes make sense only in invitation mode, and in a sensible number."""
    from smartcity_survey.services.answerable import set_access_mode

    with pytest.raises(DomainError, match="invitation mode"):
        generate_invitations(grouped, almaty(), 5)
    set_access_mode("grouped", "invitation")
    for bad in (0, -3, 20_001):
        with pytest.raises(DomainError, match="between 1 and"):
            generate_invitations(grouped, almaty(), bad)
    assert count(Invitation) == 0


def test_a_code_works_once(invited):
    """Spending a code is a conditional update: the first succeeds, the second changes nothing."""
    from datetime import datetime, timezone

    [code] = generate_invitations(invited, almaty(), 1)
    invitation = find_invitation(invited, almaty(), code)
    now = datetime.now(timezone.utc)
    assert spend_invitation(invitation.id, now) is True
    assert spend_invitation(invitation.id, now) is False
    db.session.commit()
    with pytest.raises(InvitationRefused, match="already been used"):
        find_invitation(invited, almaty(), code)


def test_a_code_is_bound_to_its_questionnaire_and_city(invited, make_questionnaire):
    """Almaty's code does not open Astana's link, nor another questionnaire."""
    from smartcity_survey.services.questionnaires import find_cities

    [code] = generate_invitations(invited, almaty(), 1)
    with pytest.raises(InvitationRefused, match="not valid"):
        find_invitation(invited, find_cities(["astana"])[0], code)
    other = make_questionnaire(SMALL_FORM, open_in=["almaty"])
    with pytest.raises(InvitationRefused, match="not valid"):
        find_invitation(other, almaty(), code)
    with pytest.raises(InvitationRefused, match="not valid"):
        find_invitation(invited, almaty(), "AAAA-BBBB-CCCC")


def test_csv_has_code_and_an_absolute_link_that_prefills_the_code(invited, client):
    """code,link rows; the link opens the landing page with the code filled in."""
    codes = generate_invitations(invited, almaty(), 2)
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(invitations_csv("https://survey.example.kz/", invited, almaty(), codes))))
    assert [row["code"] for row in rows] == codes
    assert rows[0]["link"] == f"https://survey.example.kz{BASE}?code={codes[0]}"
    html = client.get(rows[0]["link"].removeprefix("https://survey.example.kz") + "&lang=en").get_data(as_text=True)
    assert f'name="code" required type="text" value="{codes[0]}"' in html


def test_landing_asks_for_the_code_and_refuses_a_wrong_one(invited, client):
    """Invitation mode: no code, no draft; a wrong code is an error at the field."""
    html = client.get(f"{BASE}?lang=en").get_data(as_text=True)
    assert '<label for="code">Invitation code' in html
    missing = client.post(f"{BASE}/start", data={"code": ""})
    assert "Enter the code from your invitation." in missing.get_data(as_text=True)
    wrong = client.post(f"{BASE}/start", data={"code": "2345-6789-ABCD"})
    assert 'id="code-error"' in wrong.get_data(as_text=True) and count(ResponseDraft) == 0


def test_a_valid_code_starts_a_draft_holding_the_invitation(invited, client):
    """The draft remembers its invitation; nothing is spent before the final submit."""
    [code] = generate_invitations(invited, almaty(), 1)
    db.session.commit()
    start(client, code=code)
    draft = drafts()[0]
    assert draft.invitation.code_hash == code_hash(code) and draft.invitation.used_on is None


def test_start_page_is_rate_limited(invited, client, app):
    """Guessing codes: more starts than SURVEY_START_LIMIT from one address answer 429."""
    app.config["SURVEY_START_LIMIT"] = "3 per hour"
    statuses = [client.post(f"{BASE}/start", data={"code": f"AAAA-AAAA-AAA{i}"}).status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_cli_generate_writes_the_csv(invited, runner, tmp_path):
    """`flask invitations generate` writes N code,link rows and stores N hashed invitations."""
    output = tmp_path / "codes.csv"
    result = invoke(runner, "invitations", "generate", "grouped", "--city", "almaty", "-n", 3, "--output", output,
                    "--base-url", "https://survey.example.kz")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert len(rows) == 3 and all(row["link"].startswith("https://survey.example.kz/q/grouped/almaty?code=")
                                  for row in rows)
    assert count(Invitation) == 3


def test_cli_generate_uses_the_configured_base_url_and_never_overwrites(invited, runner, app, tmp_path):
    """Without --base-url PUBLIC_BASE_URL is used (and required); an existing file is never overwritten."""
    output = tmp_path / "codes.csv"
    refused = invoke(runner, "invitations", "generate", "grouped", "--city", "almaty", "-n", 1, "-o", output)
    assert refused.exit_code != 0 and "--base-url" in refused.output and not output.exists()
    app.config["PUBLIC_BASE_URL"] = "https://public.example.kz"
    generated = invoke(runner, "invitations", "generate", "grouped", "--city", "almaty", "-n", 1, "-o", output)
    assert generated.exit_code == 0, generated.output
    assert "https://public.example.kz/q/grouped/almaty?code=" in output.read_text(encoding="utf-8")
    again = invoke(runner, "invitations", "generate", "grouped", "--city", "almaty", "-n", 1, "-o", output)
    assert again.exit_code != 0 and "exists" in again.output and count(Invitation) == 1


def test_cli_generate_refusals_store_nothing(grouped, runner, tmp_path):
    """Open mode, unknown city or questionnaire: exit 1, no file, no invitation."""
    output = tmp_path / "codes.csv"
    for args, message in ((["grouped", "--city", "almaty"], "invitation mode"),
                          (["grouped", "--city", "atlantis"], "unknown city"),
                          (["nope", "--city", "almaty"], "no questionnaire")):
        result = invoke(runner, "invitations", "generate", *args, "-n", 2, "-o", output, "--base-url", "https://x.kz")
        assert result.exit_code == 1 and message in result.output, result.output
    assert not output.exists() and count(Invitation) == 0


def test_cli_sets_the_access_mode_on_open_and_import(make_questionnaire, runner, tmp_path):
    """`questionnaires open --mode invitation` switches the mode; `import --mode` sets it at once."""
    from smartcity_survey.services.questionnaires import get_questionnaire

    make_questionnaire(SMALL_FORM)
    result = invoke(runner, "questionnaires", "open", "small", "--cities", "almaty", "--mode", "invitation")
    assert result.exit_code == 0 and "invitation mode" in result.output
    db.session.expire_all()
    assert get_questionnaire("small").by_invitation
    path = tmp_path / "grouped.xlsx"
    from tests.survey_helpers import GROUPED_FORM

    path.write_bytes(GROUPED_FORM)
    result = invoke(runner, "questionnaires", "import", path, "--year", 2019, "--audience", "resident",
                    "--mode", "invitation")
    assert result.exit_code == 0 and "invitation mode" in result.output
    assert invoke(runner, "questionnaires", "open", "grouped", "--mode", "sometimes").exit_code == 2


def test_cli_purges_old_drafts_only(grouped, client, app, runner):
    """`flask drafts purge --days N` deletes drafts untouched for N days and keeps recent ones."""
    from datetime import datetime, timedelta, timezone

    start(client)
    start(app.test_client())
    old, recent = drafts()
    old.updated_at = datetime.now(timezone.utc) - timedelta(days=40)
    recent_id = recent.id
    db.session.commit()
    result = invoke(runner, "drafts", "purge", "--days", 30)
    assert result.exit_code == 0 and "deleted 1 drafts" in result.output
    assert [d.id for d in drafts()] == [recent_id]
