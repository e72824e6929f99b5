"""User management: list, create, deactivate / reactivate, reset a password. Every action is logged."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..auth.forms import ConfirmForm
from ..extensions import db
from ..i18n import localized
from ..models import City, User
from ..services import DomainError
from ..services.accounts import admin_create_user, list_users, reset_password, set_active
from ..services.history import Actor
from . import bp
from .forms import CreateUserForm, ResetPasswordForm


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.get("/users", endpoint="list_users")
def list_users_view():
    return render_template("admin/users.html", users=list_users(), confirm=ConfirmForm())


@bp.route("/users/new", methods=["GET", "POST"], endpoint="create_user")
def create_user_view():
    form = CreateUserForm()
    form.city.choices = [SelectChoice("", "—")] + [SelectChoice(c.slug, localized(c)) for c in
                                                   db.session.scalars(select(City).order_by(City.name_en))]
    if form.validate_on_submit():
        try:
            user = admin_create_user(Actor.of(current_user), form.email.data, form.role.data, form.password.data,
                                     form.city.data or None)
        except DomainError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account %(email)s created. Give the initial password to its owner through another channel.",
                    email=user.email), "success")
            return redirect(url_for(".list_users"))
    return render_template("admin/user_form.html", form=form), 422 if form.errors else 200


def _set_active(user_id: int, active: bool):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = _user(user_id)
    try:
        set_active(Actor.of(current_user), user, active)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("%(email)s is reactivated.", email=user.email) if active else
              _("%(email)s is deactivated and signed out everywhere.", email=user.email), "success")
    return redirect(url_for(".list_users"))


@bp.post("/users/<int:user_id>/deactivate", endpoint="deactivate_user")
def deactivate_user(user_id: int):
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate", endpoint="reactivate_user")
def reactivate_user(user_id: int):
    return _set_active(user_id, True)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"], endpoint="reset_password")
def reset_password_view(user_id: int):
    user = _user(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(Actor.of(current_user), user, form.password.data)
        except DomainError as exc:
            db.session.rollback()
            form.password.errors.append(str(exc))
        else:
            db.session.commit()
            if user.id == current_user.id:  # keep the admin's own session, as a password change does
                login_user(user)
            flash(_("New password set for %(email)s; their sessions are signed out.", email=user.email), "success")
            return redirect(url_for(".list_users"))
    return render_template("admin/password.html", form=form, user=user), 422 if form.errors else 200
