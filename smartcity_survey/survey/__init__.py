"""Public questionnaires: the city picker, the public link per questionnaire and city, answering page
by page with a draft saved on the way, a review, and the final submit. See survey/views_*.py."""
from flask import Blueprint

bp = Blueprint("survey", __name__, url_prefix="/q")

from . import views_pages, views_start  # noqa: E402,F401
