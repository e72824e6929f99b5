"""Drafts: answers saved page by page on the web, and the final submit that turns one into a response.

The submit is one transaction (the caller commits): check every answer (before any write), claim the
draft and empty it, spend the invitation if any, store the response. The claim is a conditional UPDATE
(... WHERE submitted_at IS NULL): a second submit of the same draft, replayed later or racing in
parallel, changes no row and raises AlreadySubmitted, so it never stores a second response. On
PostgreSQL the racing UPDATE waits for the first transaction and then finds the row claimed; SQLite
lets one writer in at a time. These functions flush and never commit.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, update
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import City, Invitation, Questionnaire, ResponseDraft, ResponseSource
from . import DomainError
from .invitations import InvitationRefused, spend_invitation
from .responses import check_submission, store_response


# The claim, built once: building it costs SQLAlchemy more than running it. (On the table, not the
# mapped class: the ORM's bulk-update machinery would only add cost, since the draft object is brought
# up to date by hand after the claim.) A browser's draft is read with the questionnaire, in
# services.answerable.public_target.
_DRAFT_TABLE = ResponseDraft.__table__
_CLAIM = (update(_DRAFT_TABLE)
          .where(_DRAFT_TABLE.c.id == bindparam("draft_id"), _DRAFT_TABLE.c.submitted_at.is_(None))
          .values(submitted_at=bindparam("now"), updated_at=bindparam("now"), answers={}, invitation_id=None))


class AlreadySubmitted(DomainError):
    """This draft was submitted before (a double click, a replayed form, the back button)."""


def start_draft(questionnaire: Questionnaire, city: City, *, language: str,
                invitation: Invitation | None = None) -> ResponseDraft:
    """A new, empty draft with a fresh random token."""
    draft = ResponseDraft(token=secrets.token_urlsafe(32), questionnaire=questionnaire, city=city,
                          invitation=invitation, answers={}, page=1, language=language)
    db.session.add(draft)
    db.session.flush()
    return draft


def save_answers(draft: ResponseDraft, answers: dict[str, object], *, page: int, language: str) -> None:
    """Merge one page's answers (as posted) into the draft and remember where to resume."""
    if draft.is_submitted:
        raise AlreadySubmitted("this draft was submitted; it takes no more answers")
    draft.answers = {**draft.answers, **answers}  # a new dict, so the JSON column is seen as changed
    draft.page = page
    draft.language = language
    db.session.flush()


def submit_draft(draft: ResponseDraft, answers: dict[str, object], *, language: str,
                 now: datetime | None = None) -> int:
    """Store the draft's answers (`answers`: the draft's, limited to known questions) as a response; its id.
    Raises AlreadySubmitted, InvitationRefused (code used meanwhile), DomainError (not accepting) or
    AnswersRejected; the caller then rolls back, which also releases the claim."""
    now = now or datetime.now(timezone.utc)
    questionnaire, city, invitation_id = draft.questionnaire, draft.city, draft.invitation_id
    # Checked before the first write: on SQLite the write lock is held from the claim to the commit,
    # so nothing that only reads happens in between.
    values = check_submission(questionnaire, city, answers, language=language, now=now)
    # The claim also empties the draft (no answers and no code kept next to the token): one UPDATE.
    # A refusal below rolls all of it back.
    claimed = db.session.execute(_CLAIM, {"draft_id": draft.id, "now": now})
    if claimed.rowcount != 1:
        raise AlreadySubmitted("this draft was submitted already")
    if invitation_id is not None and not spend_invitation(invitation_id, now):
        raise InvitationRefused(_("This code has already been used. Each code works once."))
    if invitation_id is None and questionnaire.by_invitation:  # switched to invitations meanwhile
        raise InvitationRefused(_("This questionnaire is now answered by invitation only. Start again with the "
                                  "code from your invitation."))
    response_id = store_response(questionnaire, city, values, source=ResponseSource.WEB.value, language=language,
                                 now=now)
    for name, value in (("submitted_at", now), ("updated_at", now), ("answers", {}), ("invitation_id", None)):
        set_committed_value(draft, name, value)  # what the claim wrote, without a second UPDATE
    return response_id


def purge_drafts(older_than: datetime) -> int:
    """Delete drafts untouched since `older_than` (abandoned ones, and submitted ones whose replay
    window has passed). Returns how many."""
    result = db.session.execute(delete(ResponseDraft).where(ResponseDraft.updated_at < older_than)
                                .execution_options(synchronize_session=False))
    return result.rowcount
