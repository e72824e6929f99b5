"""Accounts: creation, authentication with lockout, password changes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import AdminActionKind, City, Role, User
from . import DomainError
from .audit import record_admin_action
from .history import Actor

MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_("the password must have at least %(n)s characters", n=MIN_PASSWORD_LENGTH))


def create_user(email: str, role: str, password: str, city_slug: str | None = None) -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise DomainError(_("'%(email)s' is not an e-mail address", email=email))
    if role not in {r.value for r in Role}:
        raise DomainError(_("unknown role '%(role)s' (admin, analyst or akimat)", role=role))
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise DomainError(_("a user %(email)s already exists", email=email))
    city = None
    if role == Role.AKIMAT.value:
        if not city_slug:
            raise DomainError(_("an akimat officer needs a city (--city SLUG)"))
        city = db.session.scalar(select(City).where(City.slug == city_slug))
        if city is None:
            raise DomainError(_("unknown city '%(city)s'", city=city_slug))
    elif city_slug:
        raise DomainError(_("only akimat officers are bound to a city"))
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
        raise DomainError(_("the current password is not right"))
    validate_password(new)
    user.set_password(new)


# Administration (each action is logged) -------------------------------------------------------------

def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))


def admin_create_user(admin: Actor, email: str, role: str, password: str, city_slug: str | None) -> User:
    user = create_user(email, role, password, city_slug)
    record_admin_action(admin, AdminActionKind.USER_CREATE.value, user,
                        f"{user.role}" + (f" {user.city.slug}" if user.city else ""),
                        role=user.role, city=user.city.slug if user.city else None)
    return user


def set_active(admin: Actor, user: User, active: bool) -> None:
    """Deactivate (signs every session of the account out at once) or reactivate an account."""
    if user.id == admin.user_id and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    if user.active == active:
        return
    user.active = active
    if not active:
        user.end_sessions()
    kind = AdminActionKind.USER_REACTIVATE if active else AdminActionKind.USER_DEACTIVATE
    record_admin_action(admin, kind.value, user)
    db.session.flush()


def reset_password(admin: Actor, user: User, password: str) -> None:
    """Set a new password chosen by the admin; the user's sessions end and any lockout is lifted."""
    validate_password(password)
    user.set_password(password)
    user.failed_logins, user.locked_until = 0, None
    record_admin_action(admin, AdminActionKind.USER_PASSWORD_RESET.value, user)
    db.session.flush()
