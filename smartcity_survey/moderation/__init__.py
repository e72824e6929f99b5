"""Moderation of open suggestions: the queue of free-text answers waiting for a decision (approve,
optionally filed under a standard area, or hide) before anything is shown publicly.

Who moderates: administrators and ministry analysts. Analysts already review what cities report and
know the standard's areas, which is what filing a suggestion needs; they are not administrators, so
this is its own blueprint rather than part of admin/. Akimat officers may not (403): suggestions are
often about their own city, and its officers deciding what the public reads would be a conflict of
interest. The check runs before every view of the blueprint, so a view added later cannot forget it.
"""
from flask import Blueprint

from ..auth.access import roles_required
from ..models import Role

bp = Blueprint("moderation", __name__)


@bp.before_request
@roles_required(Role.ADMIN.value, Role.ANALYST.value)
def require_moderator():
    """Nothing to do once roles_required has let the request through (None: go on to the view)."""
    return None


from . import views  # noqa: E402,F401
