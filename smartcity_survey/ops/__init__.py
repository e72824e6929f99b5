"""Operational endpoints for load balancers and monitoring."""
from flask import Blueprint

bp = Blueprint("ops", __name__)

from . import views  # noqa: E402,F401
