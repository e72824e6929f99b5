"""Akimat forms (one per city and year, one page per area), the review workflow and bulk fill."""
from flask import Blueprint

bp = Blueprint("assessments", __name__)

from . import bulk_views, form_views, review_views  # noqa: E402,F401
