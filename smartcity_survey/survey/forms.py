"""The landing page's forms; answers themselves are read by survey.pages and checked by answering."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class StartForm(FlaskForm):
    submit = SubmitField(_l("Start"))


class CodeForm(StartForm):
    """Invitation mode: the code from the invitation (a link pre-fills it)."""

    code = StringField(_l("Invitation code"), validators=[
        DataRequired(message=_l("Enter the code from your invitation.")), Length(max=40)])
