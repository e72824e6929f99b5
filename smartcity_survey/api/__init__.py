"""JSON API under /api/v1: read-only data for other systems and the charts."""
from flask import Blueprint

bp = Blueprint("api", __name__)

from . import views  # noqa: E402,F401
