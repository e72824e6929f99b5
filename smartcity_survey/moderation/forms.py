"""The decision form shown under each suggestion of the queue."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField


class DecisionForm(FlaskForm):
    """Approve (with an optional area) or hide. Many of these share one page, so each is built with the
    prefix "s<answer id>" (unique field ids) and relies on the page's CSRF token, which CSRFProtect
    checks on every POST."""

    class Meta:
        csrf = False

    #: "" (general) or an area code of the suggestion's year; choices set by the view
    area = SelectField(_l("File under area"), choices=[])
    approve = SubmitField(_l("Approve"))
    hide = SubmitField(_l("Hide"))
