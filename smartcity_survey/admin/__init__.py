"""Administration pages, one module per sub-feature (users.py, audit.py, questionnaires.py,
responses_export.py, invitations.py). Every page needs an admin:
the check runs before any view of the blueprint, so a page added later cannot forget it."""
from flask import Blueprint, abort
from flask_login import current_user

from ..models import Role

bp = Blueprint("admin", __name__)


@bp.before_request
def require_admin():
    if not current_user.is_authenticated:
        from ..extensions import login_manager

        return login_manager.unauthorized()
    if current_user.role != Role.ADMIN.value:
        abort(403)
    return None


from . import audit, invitations, questionnaires, responses_export, users  # noqa: E402,F401
