"""Accounts: creation, authentication with lockout, password changes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from ..extensions import db
from ..models import City, Role, User
from . import DomainError

MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def create_user(email: str, role: str, password: str, city_slug: str | None = None) -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise DomainError(f"'{email}' is not an e-mail address")
    if role not in {r.value for r in Role}:
        raise DomainError(f"unknown role '{role}' (admin, analyst or akimat)")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise DomainError(f"a user {email} already exists")
    city = None
    if role == Role.AKIMAT.value:
        if not city_slug:
            raise DomainError("an akimat officer needs a city (--city SLUG)")
        city = db.session.scalar(select(City).where(City.slug == city_slug))
        if city is None:
            raise DomainError(f"unknown city '{city_slug}'")
    elif city_slug:
        raise DomainError("only akimat officers are bound to a city")
    validate_password(password)
    user = User(email=email, role=role, city=city)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str, *, lockout_after: int, lockout_minutes: int,
                 now: datetime | None = None) -> User | None:
    """The user if the password is right and the account is active and not locked; else None.
    Consecutive failures lock the account for lockout_minutes, doubling with each further failure."""
    now = now or datetime.now(timezone.utc)
    user = find_user(email)
    if user is None or not user.active:
        return None
    if user.locked_until is not None and _aware(user.locked_until) > now:
        return None
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= lockout_after:
            doublings = min(user.failed_logins - lockout_after, 6)
            user.locked_until = now + timedelta(minutes=lockout_minutes * 2**doublings)
        return None
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    return user


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise DomainError("the current password is not right")
    validate_password(new)
    user.set_password(new)
