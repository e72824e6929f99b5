"""Parse the text of one indicator value, in any of the three languages and both decimal styles."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

YES = {"yes", "y", "да", "д", "иә", "ия", "true", "1"}
NO = {"no", "n", "нет", "н", "жоқ", "false", "0"}
NOT_APPLICABLE = {"n/a", "na", "н/п", "н/д", "not applicable", "қолданылмайды", "неприменимо"}


@dataclass(frozen=True)
class ParsedValue:
    value: Decimal | None = None  # None: not reported
    not_applicable: bool = False


def is_whole_number(text: str) -> bool:
    """Only ASCII digits: str.isdigit() also accepts '¹' or '١', which int() then refuses."""
    return text.isascii() and text.isdigit()


def parse_number(text: str) -> Decimal:
    """'95.4', '95,4', '1 234,5' -> Decimal. Raises ValueError with a reason."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").rstrip("%")
    if "," in cleaned and "." in cleaned:
        raise ValueError(_("'%(text)s' mixes ',' and '.'; use one of them as the decimal separator", text=text))
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("'%(text)s' is not a number", text=text)) from None
    if not number.is_finite():
        raise ValueError(_("'%(text)s' is not a finite number", text=text))
    return number


def format_number(value: float | Decimal) -> str:
    """The inverse of parse_number for display and forms: 95.4 -> "95.4", 1.0 -> "1" (no exponent
    noise, no trailing zeros), so a value shown and saved again is the same value."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def parse_indicator_value(text: str, method: str) -> ParsedValue:
    """Validate text against an indicator's method. Raises ValueError naming what is wrong."""
    raw = text.strip()
    word = raw.casefold()
    if not raw:
        return ParsedValue()
    if word in NOT_APPLICABLE:
        return ParsedValue(not_applicable=True)
    if method == "yes_no":
        if word in YES:
            return ParsedValue(Decimal(1))
        if word in NO:
            return ParsedValue(Decimal(0))
        raise ValueError(_("'%(text)s' is not yes/no (yes, no, да, нет, иә, жоқ, true, false, 1, 0)", text=raw))
    if word in YES - {"1"} or word in NO - {"0"}:
        raise ValueError(_("'%(text)s' is a yes/no answer, but this indicator is measured as %(method)s",
                           text=raw, method=_method_label(method)))
    number = parse_number(raw)
    if method == "percent" and not Decimal(0) <= number <= Decimal(100):
        raise ValueError(_("%(text)s is outside 0-100 for a percent indicator", text=raw))
    if method == "numeric" and number < 0:
        raise ValueError(_("%(text)s is negative; a count or amount cannot be below 0", text=raw))
    return ParsedValue(number)


def _method_label(method: str) -> str:
    if method == "percent":
        return _("a percent 0-100")
    return _("a number") if method == "numeric" else method
