"""Forms of the admin questionnaire pages. Choices that depend on the data (cities) are set by the view."""
from datetime import timezone

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (DateTimeLocalField, IntegerField, RadioField, SelectChoice, SelectField, SelectMultipleField,
                     SubmitField)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..services.invitations import MAX_PER_CALL

AUDIENCE_CHOICES = [SelectChoice("resident", _l("Residents")), SelectChoice("business", _l("Businesses"))]
MODE_CHOICES = [SelectChoice("open", _l("Open link: anyone, once per browser")),
                SelectChoice("invitation", _l("Invitation codes: one response per code"))]


class ImportForm(FlaskForm):
    file = FileField(_l("XLSForm file (.xlsx)"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["xlsx"], _l("An XLSForm is an .xlsx workbook."))])
    year = IntegerField(_l("Assessment year the answers are set against"),
                        validators=[DataRequired(), NumberRange(min=2000, max=2100)])
    audience = SelectField(_l("Audience"), choices=AUDIENCE_CHOICES)
    submit = SubmitField(_l("Import"))


class OpenForm(FlaskForm):
    scope = RadioField(_l("Where"), choices=[SelectChoice("all", _l("Every city")),
                                             SelectChoice("selected", _l("The cities ticked below"))], default="all")
    cities = SelectMultipleField(_l("Cities"), choices=[], option_widget=CheckboxInput(),
                                 widget=ListWidget(prefix_label=False))
    closes_at = DateTimeLocalField(_l("Closing time (UTC, optional)"), format="%Y-%m-%dT%H:%M",
                                   validators=[Optional()])
    submit = SubmitField(_l("Open"))

    def validate_cities(self, field) -> None:
        if self.scope.data == "selected" and not field.data:
            raise ValidationError(_l("Tick at least one city, or choose every city."))

    def chosen_cities(self) -> list[str] | None:
        """The ticked city slugs, or None for every city."""
        return None if self.scope.data == "all" else list(self.cities.data)

    def closing_time(self):
        """The closing time as an aware UTC moment (the field is labelled UTC), or None."""
        return self.closes_at.data.replace(tzinfo=timezone.utc) if self.closes_at.data else None


class AccessModeForm(FlaskForm):
    mode = SelectField(_l("Who may answer"), choices=MODE_CHOICES)
    submit = SubmitField(_l("Change"))


class InvitationsForm(FlaskForm):
    city = SelectField(_l("City"), choices=[])
    count = IntegerField(_l("Number of codes"), validators=[DataRequired(), NumberRange(min=1, max=MAX_PER_CALL)])
    submit = SubmitField(_l("Generate and download (CSV)"))
