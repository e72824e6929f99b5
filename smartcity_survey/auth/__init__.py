"""Sign in, sign out, change password; role and city checks for the other blueprints."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401
