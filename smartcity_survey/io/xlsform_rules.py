"""Which XLSForm constructs the platform supports, and the message for each one it does not.

Types and columns are seen after pyxform's dealiasing, so every legacy spelling maps to one entry.
"""
from __future__ import annotations

import re

from pyxform import aliases
from pyxform.parsing.expression import RE_PYXFORM_REF
from pyxform.xls2json import RE_BEGIN_CONTROL, RE_END_CONTROL, RE_SELECT

from .. import questionnaire_spec as spec

#: our base types and the spellings pyxform accepts for them
BASE_TYPES = {
    "integer": spec.INTEGER, "int": spec.INTEGER, "add integer prompt": spec.INTEGER, "q int": spec.INTEGER,
    "decimal": spec.DECIMAL, "add decimal prompt": spec.DECIMAL, "q decimal": spec.DECIMAL,
    "text": spec.TEXT, "string": spec.TEXT, "add text prompt": spec.TEXT, "q string": spec.TEXT,
    "note": spec.NOTE, "add note prompt": spec.NOTE, "q note": spec.NOTE,
}
_SELECTS = {"select one": "select_one", "select all that apply": "select_multiple", "rank": "rank"}

_LOCATION = "locations are not collected"
_MEDIA = "files, photos and recordings are not collected"
_METADATA = "the platform records the submission time itself and never device or personal identifiers"
#: pyxform type -> why it is outside the subset
UNSUPPORTED_TYPES = {
    "calculate": "calculations are not supported",
    "geopoint": _LOCATION, "geotrace": _LOCATION, "geoshape": _LOCATION, "gps": _LOCATION,
    "location": _LOCATION, "start-geopoint": _LOCATION, "background-geopoint": _LOCATION, "osm": _LOCATION,
    "photo": _MEDIA, "image": _MEDIA, "audio": _MEDIA, "video": _MEDIA, "file": _MEDIA,
    "background-audio": _MEDIA, "barcode": "barcode scanning is not supported",
    "date": "dates are not supported; ask for a year or an age band instead",
    "time": "times are not supported", "datetime": "dates are not supported", "dateTime": "dates are not supported",
    "range": "range sliders are not supported; use integer with a constraint",
    "acknowledge": "acknowledge is not supported; use a select_one", "trigger": "trigger is not supported",
    "hidden": "hidden questions are not supported",
    "xml-external": "external data is not supported", "csv-external": "external data is not supported",
}
for _meta in ("start", "end", "today", "deviceid", "imei", "subscriberid", "simserial", "phonenumber",
              "username", "email", "audit", "start time", "end time", "device id", "sim id", "phone number",
              "subscriber id", "get today", "get start time", "get end time", "get device id", "get sim id",
              "get phone number", "get subscriber id", "uri:deviceid", "uri:email", "uri:phonenumber",
              "uri:simserial", "uri:subscriberid", "uri:username"):
    UNSUPPORTED_TYPES[_meta] = f"metadata: {_METADATA}"

#: columns (as pyxform token paths) we read; everything else pyxform knows is refused when filled
SUPPORTED_SURVEY_COLUMNS = {
    ("type",), ("name",), ("label",), ("hint",), ("area",), ("indicator",), ("control", "appearance"),
    ("bind", "relevant"), ("bind", "constraint"), ("bind", "required"),
    ("bind", "jr:constraintMsg"), ("bind", "jr:requiredMsg"),
}
GROUP_COLUMNS = {("type",), ("name",), ("label",), ("bind", "relevant"), ("control", "appearance")}
COLUMN_REASONS = {
    ("bind", "calculate"): "calculations are not supported",
    ("bind", "readonly"): "read-only questions are not supported",
    ("control", "jr:count"): "repeats are not supported",
    ("choice_filter",): "cascading selects (choice_filter) are not supported",
    ("default",): "default answers are not supported",
    ("parameters",): "question parameters are not supported",
    ("trigger",): "triggers are not supported",
    ("media",): "images, audio and video in labels are not supported",
    ("guidance_hint",): "guidance hints are not supported",
    ("disabled",): "disabled rows are not supported; delete the row instead",
}
TRANSLATABLE = {("label",): "label", ("hint",): "hint", ("bind", "jr:constraintMsg"): "constraint_message",
                ("bind", "jr:requiredMsg"): "required_message"}
KEPT_SETTINGS = ("version", "instance_name", "style")
TITLE_TRANSLATION = re.compile(r"form_title_([a-z]{2,3})")
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")
CODE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,59}")


class Unsupported(ValueError):
    """A construct outside the subset; the message names it."""


class WrongCase(Unsupported):
    """A type that is supported when written in lower case, as pyxform requires ('Integer', 'END_GROUP')."""


def classify_type(text: str) -> tuple[str, str | None]:
    """('begin_group'|'end_group'|question type, choice list name) for a survey `type` cell."""
    try:
        return _classify(text)
    except Unsupported as exc:
        written = _in_lower_case(" ".join(text.split()))
        if written is None:
            raise
        raise WrongCase(f"type '{written}' is not supported: XLSForm types are lower case ('{written.lower()}')"
                        ) from exc


def _in_lower_case(normalised: str) -> str | None:
    """The type words (without the list name) of a type that is supported once written in lower case."""
    if normalised == normalised.lower():
        return None
    try:
        _kind, list_name = _classify(normalised.lower())
    except Unsupported:
        return None
    words = normalised.split(" ")
    if list_name is not None:  # keep the list name as written: list names are case-sensitive
        words = words[:[word.lower() for word in words].index(list_name.lower(), 1)]
    return " ".join(words)


def _classify(text: str) -> tuple[str, str | None]:
    normalised = " ".join(text.split())
    begin, end = RE_BEGIN_CONTROL.search(normalised), RE_END_CONTROL.search(normalised)
    if begin or end:
        control = aliases.control[(begin or end).group("type")]
        if control != "group":
            raise Unsupported(f"{normalised} is not supported (repeated groups are not supported)")
        return ("begin_group" if begin else "end_group"), None
    select = RE_SELECT.search(normalised)
    if select:
        return _select_type(normalised, select)
    if normalised in BASE_TYPES:
        return BASE_TYPES[normalised], None
    if normalised in UNSUPPORTED_TYPES:
        raise Unsupported(f"{normalised} is not supported ({UNSUPPORTED_TYPES[normalised]})")
    if aliases.select.get(normalised) in _SELECTS and normalised not in aliases.select_from_file:  # list forgotten
        raise Unsupported(f"{normalised} needs the name of its choice list after it, as in "
                          f"'{normalised} yes_no'")
    raise Unsupported(f"type '{normalised}' is not supported")


def _select_type(text: str, match: re.Match) -> tuple[str, str | None]:
    command = aliases.select[match.group("select_command")]
    if match.group("select_command") in aliases.select_from_file or command not in _SELECTS:
        raise Unsupported(f"{text} is not supported (choices from external files are not supported)")
    if match.group("specify_other"):
        raise Unsupported(f"{text} is not supported (or_other: add an 'other' choice and a text question "
                          "shown when it is selected)")
    return _SELECTS[command], match.group("list_name")


def column_problem(path: tuple[str, ...], is_group: bool) -> str | None:
    """Why a filled column cannot be honoured on this row, or None if it can (or is not XLSForm's)."""
    if path[0].startswith("kobo--"):
        return "KoboToolbox-only columns are not supported"
    allowed = GROUP_COLUMNS if is_group else SUPPORTED_SURVEY_COLUMNS
    if _allowed(path, allowed):
        return None
    if path in COLUMN_REASONS or path[:1] in COLUMN_REASONS:
        return COLUMN_REASONS.get(path) or COLUMN_REASONS[path[:1]]
    if _allowed(path, SUPPORTED_SURVEY_COLUMNS):
        return "not used on a group row"
    if path[:1] in SUPPORTED_SURVEY_COLUMNS or path[:2] in SUPPORTED_SURVEY_COLUMNS:
        return "cannot be translated"
    if path[0] in ("bind", "control", "instance", "body", "sms_field", "query"):
        return "not supported"
    return None


def _allowed(path: tuple[str, ...], allowed: set[tuple[str, ...]]) -> bool:
    """Exactly an allowed column, or a translation (one more token) of an allowed translatable one."""
    if path in allowed:
        return True
    base = path[:2] if path[0] == "bind" else path[:1]
    return base in allowed and base in TRANSLATABLE and len(path) == len(base) + 1


def reference_problem(path: tuple[str, ...], value: object) -> str | None:
    """`${name}` in a label, hint or message, where pyxform shows the answer to `name`; the answering
    pages show texts as written, so the respondent would read "${name}" itself."""
    base = path[:2] if path[0] == "bind" else path[:1]
    match = RE_PYXFORM_REF.search(value) if base in TRANSLATABLE and isinstance(value, str) else None
    if match is None:
        return None
    return f"{match.group(0)} in a {TRANSLATABLE[base]} is not supported (answers are not shown inside texts)"


def appearance_problem(appearance: str) -> str | None:
    if "search(" in appearance:
        return "search() choices from external files are not supported"
    return None
