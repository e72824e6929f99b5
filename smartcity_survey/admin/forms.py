"""Forms of the admin pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from ..services.accounts import MIN_PASSWORD_LENGTH

ROLE_CHOICES = [SelectChoice("akimat", _l("Akimat officer (one city)")),
                SelectChoice("analyst", _l("Ministry analyst")), SelectChoice("admin", _l("Administrator"))]


def _password_length():
    return Length(min=MIN_PASSWORD_LENGTH, max=200, message=_l("At least %(min)d characters."))


class CreateUserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    #: choices (the cities) are set by the view; blank for analysts and admins
    city = SelectField(_l("City (akimat officers only)"), choices=[], validate_choice=False)
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), _password_length()])
    confirm = PasswordField(_l("Initial password again"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Create account"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), _password_length()])
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Set the new password"))
