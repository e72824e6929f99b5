"""The administrators' log: append a record of an admin action, read the log back."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import AdminAction, User
from .history import Actor


def record_admin_action(actor: Actor, action: str, target: User | None = None, detail: str = "",
                        **params) -> AdminAction:
    """`detail`: the facts in English, as a plain record; `params`: the same facts as JSON values, from
    which templates/admin/audit.html says them in the reader's language."""
    entry = AdminAction(actor=actor.label, actor_id=actor.user_id, action=action, target_user=target, detail=detail,
                        params=params or None)
    db.session.add(entry)
    return entry


def admin_log(limit: int = 500) -> list[AdminAction]:
    """The most recent admin actions, newest first."""
    return list(db.session.scalars(
        select(AdminAction).order_by(AdminAction.at.desc(), AdminAction.id.desc()).limit(limit)))
