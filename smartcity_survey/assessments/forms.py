"""Forms of the akimat pages. An area page is built at run time: one sub-form per indicator,
named i<indicator id>, whose value field suits the indicator's method."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, Form, FormField, HiddenField, RadioField, SelectChoice, SelectMultipleField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..io.values import format_number, parse_indicator_value
from ..models import Indicator, IndicatorValue
from ..services.assessments import digest_of


class EntryForm(Form):
    """The parts every indicator has. Subclasses add the `value` field and `parsed_value()`, which
    returns the value as a Decimal (None: not answered) or raises ValueError with a translated message."""

    #: the value's version and a digest of what the page showed (see services.assessments)
    version = HiddenField()
    loaded = HiddenField()
    not_applicable = BooleanField(_l("Not applicable to this city"))
    na_reason = TextAreaField(_l("Why it does not apply"), validators=[Length(max=2000)], render_kw={"rows": 2})
    evidence_note = TextAreaField(_l("Evidence note"), validators=[Length(max=4000)], render_kw={"rows": 2})
    evidence_url = StringField(_l("Evidence link"), validators=[Length(max=500)])
    evidence_file = FileField(_l("Evidence file"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.not_applicable.data and not (self.na_reason.data or "").strip():
            self.na_reason.errors.append(_l("Give the reason why this indicator does not apply."))
            valid = False
        url = (self.evidence_url.data or "").strip()
        if url and not _is_web_link(url):
            self.evidence_url.errors.append(_l("Enter a full web address starting with http:// or https://."))
            valid = False
        if not self.not_applicable.data:
            try:
                self.parsed_value()
            except ValueError as exc:
                self.value.errors.append(str(exc))
                valid = False
        return valid

    @property
    def was_rendered(self) -> bool:
        """Entries shown read-only (submitted or verified) post nothing and are left alone."""
        return bool(self.loaded.data)


class YesNoEntry(EntryForm):
    value = RadioField(_l("Answer"), choices=[SelectChoice("1", _l("Yes")), SelectChoice("0", _l("No"))],
                       validate_choice=False)

    def parsed_value(self) -> Decimal | None:
        if self.value.data in (None, "", "None"):
            return None
        if self.value.data not in ("1", "0"):
            raise ValueError(_l("Choose yes or no."))
        return Decimal(self.value.data)


class NumberEntry(EntryForm):
    value = StringField(_l("Value"), validators=[Length(max=40)])
    message = _l("Enter a number of 0 or more.")
    method = "numeric"

    def parsed_value(self) -> Decimal | None:
        """Read as a values file reads the cell (io.values), so the form and the bulk upload agree on what
        '1,234', '30 %' or '1 234,5' mean; the reason comes first, then what the field wants."""
        text = (self.value.data or "").strip()
        if not text:
            return None
        try:
            parsed = parse_indicator_value(text, self.method)
        except ValueError as exc:
            raise ValueError(f"{exc}. {self.message}") from None
        if parsed.not_applicable:
            raise ValueError(_l("Tick “Not applicable to this city” and give the reason, rather than typing it "
                                "as the value."))
        return parsed.value


class PercentEntry(NumberEntry):
    value = StringField(_l("Percent, 0 to 100"), validators=[Length(max=40)])
    message = _l("Enter a percent between 0 and 100.")
    method = "percent"


ENTRY_FORMS = {"yes_no": YesNoEntry, "percent": PercentEntry, "numeric": NumberEntry}


def _is_web_link(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def entry_key(indicator: Indicator) -> str:
    return f"i{indicator.id}"


def area_form(indicators: list[Indicator], records: dict[int, IndicatorValue], formdata=None) -> FlaskForm:
    """The area page's form, prefilled from the saved values (or read from the request on POST)."""
    fields = {entry_key(i): FormField(ENTRY_FORMS[i.method], label=i.code) for i in indicators}
    form_class = type("AreaForm", (FlaskForm,), fields)
    data = {entry_key(i): entry_data(records.get(i.id)) for i in indicators}
    return form_class(obj=SimpleNamespace(**data)) if formdata is None else form_class()


def entry_data(record: IndicatorValue | None) -> SimpleNamespace:
    """Field values for one saved value (or an empty entry)."""
    value = None if record is None or record.value is None else format_number(record.value)
    return SimpleNamespace(
        value=value, not_applicable=bool(record and record.not_applicable),
        na_reason=(record.na_reason if record else ""), evidence_note=(record.evidence_note if record else ""),
        evidence_url=(record.evidence_url if record else ""), evidence_file=None,
        version="" if record is None else str(record.version), loaded=digest_of(record))


class ReviewForm(FlaskForm):
    """Return or reopen: the indicators chosen (none: all of the area) and the reason. Used with a
    prefix ("return", "reopen") so both fit on one page; the page's CSRF token is checked for every
    POST by CSRFProtect, so this form does not carry a prefixed copy of it."""

    class Meta:
        csrf = False

    indicators = SelectMultipleField(_l("Indicators"), coerce=int, option_widget=CheckboxInput(),
                                     widget=ListWidget(prefix_label=False), validate_choice=False)
    comment = TextAreaField(_l("Comment for the akimat"), validators=[Length(max=4000)])


class BulkUploadForm(FlaskForm):
    file = FileField(_l("File (CSV or XLSX)"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Check the file"))


class BulkApplyForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    fingerprint = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Apply all changes"))
