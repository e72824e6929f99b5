"""Parse the text of one indicator value, in any of the three languages and both decimal styles."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

#: "жок" is жоқ typed without a Kazakh keyboard; ИСТИНА/ЛОЖЬ are TRUE/FALSE in a Russian Excel's CSV
YES = {"yes", "y", "да", "д", "иә", "ия", "true", "истина", "1"}
NO = {"no", "n", "нет", "н", "жоқ", "жок", "false", "ложь", "0"}
NOT_APPLICABLE = {"n/a", "na", "н/п", "not applicable", "қолданылмайды", "неприменимо", "не применимо"}
#: a date as an XLSX date cell reads (2020-05-12T00:00:00) or as a CSV shows it (12.05.2020)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T[\d:.]+)?|\d{1,2}\.\d{1,2}\.\d{2,4}", re.ASCII)
#: "н/д" is mostly "нет данных" (no data), and a dash may be 0 as well: each scores differently
AMBIGUOUS_WORDS = {"н/д", "-", "–", "—"}
#: ASCII digits only: Decimal() also takes '١٢' or '1_000', which nobody means in a file
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
#: thousands grouped by spaces (any kind: Excel in a Russian locale writes a no-break space)
SPACE_GROUPED = re.compile(r"[+-]?\d{1,3}( \d{3})+([.,]\d+)?", re.ASCII)
#: one comma before exactly three digits: 1,234 is 1.234 with a decimal comma but 1234 in English
AMBIGUOUS_COMMA = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}", re.ASCII)


@dataclass(frozen=True)
class ParsedValue:
    value: Decimal | None = None  # None: not reported
    not_applicable: bool = False


def is_whole_number(text: str) -> bool:
    """Only ASCII digits: str.isdigit() also accepts '¹' or '١', which int() then refuses."""
    return text.isascii() and text.isdigit()


def parse_number(text: str) -> Decimal:
    """'95.4', '95,4', '1 234,5', '45 %' -> Decimal. Raises ValueError with a reason."""
    cleaned = _ungrouped(text, _without_percent_sign(" ".join(text.split())))
    _check_separators(text, cleaned)
    cleaned = cleaned.replace(",", ".")
    if not PLAIN_NUMBER.fullmatch(cleaned):
        raise ValueError(_("'%(text)s' is not a number", text=text))
    number = Decimal(cleaned)
    if not math.isfinite(float(number)):  # stored as a float: 1e400 would become infinity
        raise ValueError(_("'%(text)s' is too large a number", text=text))
    return number


def _without_percent_sign(text: str) -> str:
    return text[:-1].rstrip() if text.endswith("%") else text


def _ungrouped(text: str, cleaned: str) -> str:
    """'1 234 567,5' -> '1234567,5'; a space anywhere else is refused: '12 5' is not 125 for sure."""
    if " " in cleaned and not SPACE_GROUPED.fullmatch(cleaned):
        raise ValueError(_("'%(text)s' has a space that does not separate thousands (1 234 567)", text=text))
    return cleaned.replace(" ", "")


def _check_separators(text: str, cleaned: str) -> None:
    """Refuse what only a guess could read: both separators, thousands by commas or dots, '1,234'."""
    if "," in cleaned and "." in cleaned:
        raise ValueError(_("'%(text)s' mixes ',' and '.'; use one of them as the decimal separator", text=text))
    if cleaned.count(",") > 1 or cleaned.count(".") > 1:
        raise ValueError(_("'%(text)s' has more than one decimal separator; write thousands without "
                           "separators or with spaces (1 234 567)", text=text))
    if AMBIGUOUS_COMMA.fullmatch(cleaned):
        raise ValueError(_("'%(text)s' is ambiguous: the comma may mark decimals (%(decimal)s) or thousands "
                           "(%(whole)s); write %(decimal)s or %(whole)s", text=text,
                           decimal=cleaned.replace(",", "."), whole=cleaned.replace(",", "")))


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
    _refuse_lookalikes(raw, word)
    if method == "yes_no":
        if word in YES:
            return ParsedValue(Decimal(1))
        if word in NO:
            return ParsedValue(Decimal(0))
        raise ValueError(_("'%(text)s' is not yes/no (yes, no, да, нет, иә, жоқ, true, false, 1, 0)", text=raw))
    if word in YES - {"1"} or word in NO - {"0"}:
        raise ValueError(_("'%(text)s' is a yes/no answer, but this indicator is measured as %(method)s",
                           text=raw, method=_method_label(method)))
    if raw.endswith("%") and method != "percent":  # parse_number drops the sign, fine for percents only
        raise ValueError(_("'%(text)s' has a percent sign, but this indicator is measured as %(method)s",
                           text=raw, method=_method_label(method)))
    number = parse_number(raw)
    if method == "percent" and not Decimal(0) <= number <= Decimal(100):
        raise ValueError(_("%(text)s is outside 0-100 for a percent indicator", text=raw))
    if method == "numeric" and number < 0:
        raise ValueError(_("%(text)s is negative; a count or amount cannot be below 0", text=raw))
    return ParsedValue(number)


def _refuse_lookalikes(raw: str, word: str) -> None:
    """Cell contents that are not a value although they could pass for one, each with its own reason."""
    if word in AMBIGUOUS_WORDS:
        raise ValueError(_("'%(text)s' is ambiguous: write the value, n/a if the indicator does not apply, "
                           "or leave the cell blank if there is no data", text=raw))
    if raw.startswith("#"):  # #N/A, #DIV/0!, #ЗНАЧ!, #Н/Д: a formula that failed, even when it reads as n/a
        raise ValueError(_("'%(text)s' is a spreadsheet error, not a value: correct the formula or type the "
                           "value", text=raw))
    if DATE.fullmatch(raw):
        raise ValueError(_("'%(text)s' is a date: a spreadsheet may have turned a number such as 12.5 into "
                           "one; format the cell as a number or text and type the value again", text=raw))


def _method_label(method: str) -> str:
    if method == "percent":
        return _("a percent 0-100")
    return _("a number") if method == "numeric" else method
