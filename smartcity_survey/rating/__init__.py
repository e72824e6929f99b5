"""Public pages: the rating of a year, each city's score step by step, and the standard itself."""
from flask import Blueprint

bp = Blueprint("rating", __name__)

from . import views  # noqa: E402,F401
