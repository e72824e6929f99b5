"""Invitation mode: single-use codes an admin generates per questionnaire and city, and hands out.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
three groups of four (ABCD-EFGH-JKMN): about 59 random bits, so guessing is hopeless behind the start page's rate limit.
Only the sha256 of the normalised code is stored; the plain codes exist once, in what
generate_invitations returns (the CLI writes them to a CSV for distribution). A code is spent on the
final submit, by a conditional UPDATE in the submit's transaction (see spend_invitation), so a code
works once even when two people submit with it at the same moment. These functions flush and never
commit.
"""
from __future__ import annotations

import csv
import hashlib
import io
import secrets
from datetime import datetime
from urllib.parse import quote, urlencode

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..extensions import db
from ..models import City, Invitation, Questionnaire, QuestionnaireStatus
from . import DomainError

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
GROUP = 4
#: one call's ceiling: a print run, not a denial of service on the database
MAX_PER_CALL = 20_000
CSV_COLUMNS = ("code", "link")


class InvitationRefused(DomainError):
    """The code is unknown here, or already used; the message is for the respondent."""


def normalise_code(text: str) -> str:
    """The code as typed, in any case, with or without dashes and spaces, reduced to its characters."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii", "ignore")).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def generate_invitations(questionnaire: Questionnaire, city: City, count: int,
                         now: datetime | None = None) -> list[str]:
    """`count` new codes for the questionnaire in the city; returns the plain codes (stored hashed)."""
    if not questionnaire.by_invitation:
        raise DomainError(_("questionnaire %(slug)s is in %(mode)s mode; switch it to invitation mode first",
                            slug=questionnaire.slug, mode=questionnaire.access_mode))
    if questionnaire.status == QuestionnaireStatus.CLOSED.value:
        raise DomainError(_("questionnaire %(slug)s version %(version)s is closed",
                            slug=questionnaire.slug, version=questionnaire.version))
    if not 1 <= count <= MAX_PER_CALL:
        raise DomainError(_("the number of invitations must be between 1 and %(max)s", max=MAX_PER_CALL))
    codes = list(dict.fromkeys(_new_code() for _ in range(count)))
    while len(codes) < count:  # a collision within the batch is astronomically rare, but cheap to rule out
        codes = list(dict.fromkeys([*codes, _new_code()]))
    extra = {"created_at": now} if now is not None else {}
    db.session.add_all(Invitation(questionnaire=questionnaire, city=city, code_hash=code_hash(code), **extra)
                       for code in codes)
    db.session.flush()
    return codes


def find_invitation(questionnaire: Questionnaire, city: City, code: str) -> Invitation:
    """The unused invitation a code stands for here, or InvitationRefused saying why not."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.code_hash == code_hash(code)))
    if invitation is None or invitation.questionnaire_id != questionnaire.id or invitation.city_id != city.id:
        raise InvitationRefused(_("This code is not valid for this questionnaire and city. Check it and try again."))
    if invitation.used_on is not None:
        raise InvitationRefused(_("This code has already been used. Each code works once."))
    return invitation


def spend_invitation(invitation_id: int, now: datetime) -> bool:
    """Mark the invitation used, unless it already is: one UPDATE ... WHERE used_on IS NULL, so of two
    concurrent submits with one code only one sees a changed row. False = it was already used."""
    result = db.session.execute(
        update(Invitation).where(Invitation.id == invitation_id, Invitation.used_on.is_(None))
        .values(used_on=now.date()).execution_options(synchronize_session=False))
    return result.rowcount == 1


def invitation_link(base_url: str, questionnaire: Questionnaire, city: City, code: str) -> str:
    """The absolute public link that carries the code (the landing page pre-fills it)."""
    path = f"/q/{quote(questionnaire.slug)}/{quote(city.slug)}"
    return f"{base_url.rstrip('/')}{path}?{urlencode({'code': code})}"


def invitations_csv(base_url: str, questionnaire: Questionnaire, city: City, codes: list[str]) -> str:
    """CSV text with the columns code,link: what an admin distributes (mail merge, printed cards)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for code in codes:
        writer.writerow([code, invitation_link(base_url, questionnaire, city, code)])
    return buffer.getvalue()
