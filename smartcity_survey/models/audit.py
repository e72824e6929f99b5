"""What administrators did: account management, reopening verified values, running questionnaires
(import, open, close, new version, access mode, invitations, raw exports); and every moderation
decision on a suggestion, by an administrator or a ministry analyst. Append-only."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow
from .history import refuse_changes
from .users import User


class AdminActionKind(str, enum.Enum):
    USER_CREATE = "user_create"
    USER_DEACTIVATE = "user_deactivate"
    USER_REACTIVATE = "user_reactivate"
    USER_PASSWORD_RESET = "user_password_reset"
    VALUES_REOPEN = "values_reopen"
    QUESTIONNAIRE_IMPORT = "questionnaire_import"
    QUESTIONNAIRE_OPEN = "questionnaire_open"
    QUESTIONNAIRE_CLOSE = "questionnaire_close"
    QUESTIONNAIRE_NEW_VERSION = "questionnaire_new_version"
    QUESTIONNAIRE_ACCESS_MODE = "questionnaire_access_mode"
    INVITATIONS_GENERATE = "invitations_generate"
    RESPONSES_EXPORT = "responses_export"
    #: moderation is open to analysts too; their decisions are logged here all the same, so that one
    #: log answers "who let this suggestion be published"
    SUGGESTION_APPROVE = "suggestion_approve"
    SUGGESTION_HIDE = "suggestion_hide"


class AdminAction(db.Model):
    __tablename__ = "admin_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(254))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    #: the account acted on (user actions only)
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: plain data about the action (role and city of a new account; city, year, area and codes reopened;
    #: questionnaire slug and version with cities, counts or format; suggestion answer id and area)
    detail: Mapped[str] = mapped_column(Text, default="")
    #: the same facts as named values ({"slug": "resident", "version": 2, "cities": ["almaty"]}), so that
    #: the log page can say them in the reader's language; None on entries written before (migration 0012)
    params: Mapped[dict | None] = mapped_column(JSON)

    actor_user: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id])


refuse_changes(AdminAction)
