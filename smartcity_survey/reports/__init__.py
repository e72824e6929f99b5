"""Official vs perceived: the national comparison, each city's public report page, the signed-in
dashboard (the same page plus the city's unpublished draft score) and CSV/XLSX exports of every table."""
from flask import Blueprint

from .cells import rows_html, weighting_label

bp = Blueprint("reports", __name__)


bp.add_app_template_filter(rows_html, "report_rows")


@bp.context_processor
def _template_helpers() -> dict:
    return {"weighting_label": weighting_label}


from . import city, dashboard, exports, national  # noqa: E402,F401
