"""The administrators' log, read-only: there is no route that changes or deletes an entry."""
from flask import render_template

from ..services.audit import admin_log
from . import bp


@bp.get("/audit", endpoint="audit_log")
def audit_log():
    return render_template("admin/audit.html", actions=admin_log())
