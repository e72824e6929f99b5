"""Sign-in with throttling per address and per account; sign-out; password change."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..services import DomainError
from ..services.accounts import authenticate, change_password, normalise_email
from . import bp
from .access import is_safe_next
from .forms import ChangePasswordForm, LoginForm


def _account_key() -> str:
    return "login-account:" + normalise_email(request.form.get("email", ""))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_account_key)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data,
                            lockout_after=current_app.config["LOGIN_LOCKOUT_AFTER"],
                            lockout_minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
        db.session.commit()  # failed-login counters are kept even when the login fails
        if user is not None:
            _start_fresh_session()
            login_user(user)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("rating.home"))
        flash(_("Wrong e-mail or password, or the account is temporarily locked. Try again later."), "error")
    return render_template("auth/login.html", form=form)


def _start_fresh_session() -> None:
    """A new session on sign-in (no fixation); only the language choice survives."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("rating.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data)
        except DomainError:
            form.current.errors.append(_("The current password is not right."))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # new token here; every other session is out
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for("rating.home"))
    return render_template("auth/password.html", form=form)
