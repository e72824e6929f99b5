"""Accounts: administrators, ministry analysts and akimat officers bound to one city."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ._common import utcnow
from .cities import City


class Role(str, enum.Enum):
    ADMIN = "admin"  # everything, user management
    ANALYST = "analyst"  # ministry: reads every city, verifies or returns submissions
    AKIMAT = "akimat"  # an officer of one city: edits that city's drafts only


def _new_session_token() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: werkzeug's scrypt hash
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    #: akimat officers only: the one city they report for
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id"))
    active: Mapped[bool] = mapped_column(default=True)
    #: part of the login cookie; rotating it signs out every other session (password change, reset)
    session_token: Mapped[str] = mapped_column(String(64), default=_new_session_token)
    #: consecutive failed logins, and the time before which the account refuses logins (backoff)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()

    city: Mapped[City | None] = relationship()

    # Flask-Login -------------------------------------------------------------------------------
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    def end_sessions(self) -> None:
        """Sign out every session of this account (the token is part of each login cookie)."""
        self.session_token = _new_session_token()

    # Passwords ---------------------------------------------------------------------------------
    def set_password(self, password: str) -> None:
        """Store a new hash and sign out every other session of this account."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # Roles -------------------------------------------------------------------------------------
    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST.value

    @property
    def is_akimat(self) -> bool:
        return self.role == Role.AKIMAT.value

    def can_read_city(self, city: City) -> bool:
        """Analysts and admins read every city; an officer only their own."""
        return not self.is_akimat or self.city_id == city.id
