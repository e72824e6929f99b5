"""Who may see what: role decorators and the city scope of akimat officers."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user, login_required

from ..models import City


def roles_required(*roles: str):
    """Signed in with one of these roles, or 403 (404 hides the page from akimat officers)."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def require_city_access(city: City | None) -> City:
    """A city the signed-in user may read; another city answers 404 so nothing about it leaks."""
    if city is None or not current_user.is_authenticated or not current_user.can_read_city(city):
        abort(404)
    return city


def is_safe_next(target: str | None) -> bool:
    """Only same-site relative paths: no scheme, no host, no protocol-relative //host."""
    if not target:
        return False
    parts = urlsplit(target)
    return (not parts.scheme and not parts.netloc and target.startswith("/")
            and not target.startswith("//") and "\\" not in target)
