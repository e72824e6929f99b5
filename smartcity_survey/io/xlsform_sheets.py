"""The settings and choices sheets, and sheets that are not part of the supported XLSForm."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyxform import aliases, constants

from ..questionnaire_spec import ChoiceDef
from .xlsform_languages import Languages
from .xlsform_pyxform import CHOICE_COLUMNS, FormError, grouped_sheet
from .xlsform_rules import KEPT_SETTINGS, SLUG, TITLE_TRANSLATION, reference_problem

#: settings that change what a form means and that the platform cannot honour
_REFUSED_SETTINGS = {"allow_choice_duplicates": "duplicate choice names are not supported",
                     "add_none_option": "add_none_option is not supported; add the choice to the list"}
_REFUSED_SHEETS = {"external_choices": "choices from external files are not supported",
                   "entities": "entities are not supported", "osm": "OpenStreetMap questions are not supported"}


@dataclass
class Settings:
    slug: str = ""
    title: str = ""
    #: form_title_<code> columns: {code: title}
    titles: dict[str, str] = field(default_factory=dict)
    default_language: str = ""
    kept: dict[str, str] = field(default_factory=dict)
    #: the settings row read, and the column form_id is said to come from, for messages
    row: int = 2
    slug_column: str = "form_id"


def read_settings(workbook, stem: str, errors: list[FormError], warnings: list[str]) -> Settings:
    """form_id is the slug (the file name when absent, as pyxform does), form_title the default-language
    title, form_title_<code> its translations; version, instance_name and style are kept for export."""
    settings, number = Settings(), 2
    if workbook.settings:
        sheet = grouped_sheet(workbook, constants.SETTINGS, "default")
        rows = [r for r in sheet.rows if len(r) > 1]  # "__row" alone: a blank row
        if len(rows) > 1:
            warnings.append(str(FormError("settings", rows[1]["__row"], "only the first row of settings is read")))
        if rows:
            number = settings.row = rows[0]["__row"]
            for key, value in rows[0].items():
                if key != "__row":
                    _setting(settings, key, value, (sheet.headers, number), errors, warnings)
    if not settings.slug and _slug_from(stem):
        settings.slug, settings.slug_column = _slug_from(stem), "form_id (none given: the file name)"
        used = "" if settings.slug == stem else f" as '{settings.slug}'"
        warnings.append(str(FormError("settings", number, f"no form_id; the file name '{stem}' is used{used}")))
    elif not settings.slug:
        errors.append(FormError("settings", number, "form_id is required", "form_id"))
    elif not SLUG.fullmatch(settings.slug):
        errors.append(FormError("settings", number, f"'{settings.slug}' is not a valid form_id "
                                                    "(letters, digits, _ - .)", "form_id"))
    return settings


def _slug_from(stem: str) -> str:
    """A file name as a form_id: what a URL cannot carry (spaces, other punctuation) becomes '-', since
    "My survey.xlsx" is a normal name for a file but not for a link."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-_.")


def _setting(settings: Settings, key: str, value: object, where: tuple[dict, int], errors: list,
             warnings: list) -> None:
    headers, number = where
    header = headers.get((key,), key)
    if isinstance(value, dict):
        errors.append(FormError("settings", number, "translated settings are not supported; use form_title_<code>",
                                next((h for p, h in headers.items() if p[0] == key), key)))
    elif key == constants.ID_STRING:
        settings.slug = value
    elif key == constants.TITLE:
        settings.title = value
    elif key == constants.DEFAULT_LANGUAGE_KEY:
        settings.default_language = value
    elif TITLE_TRANSLATION.fullmatch(key):
        settings.titles[TITLE_TRANSLATION.fullmatch(key).group(1)] = value
    elif key in KEPT_SETTINGS:
        settings.kept[key] = value
    elif key.startswith("kobo--"):
        errors.append(FormError("settings", number, "KoboToolbox-only settings are not supported", header))
    elif key in _REFUSED_SETTINGS and aliases.yes_no.get(value, True):
        errors.append(FormError("settings", number, _REFUSED_SETTINGS[key], header))
    else:
        warnings.append(str(FormError("settings", number, "ignored (it has no meaning on this platform)", header)))


def read_choices(workbook, default_language: str, languages: Languages, errors: list[FormError],
                 warnings: list[str]) -> list[ChoiceDef]:
    """Every choice row in order; refuses media and duplicate names, warns about filter columns."""
    if not workbook.choices_header:
        return []
    sheet = grouped_sheet(workbook, constants.CHOICES, default_language or "default")
    errors += languages.register(sheet)
    for path, header in sheet.headers.items():
        if path[0] in (constants.LIST_NAME_S, "name") and len(path) > 1:  # e.g. name::English (en)
            errors.append(FormError("choices", 1, "list_name and name cannot be translated", header))
        elif path[0] == "media":
            errors.append(FormError("choices", 1, "images, audio and video in choices are not supported", header))
        elif path[0] not in CHOICE_COLUMNS and path[0] != constants.LIST_NAME_S:
            warnings.append(str(FormError("choices", 1, "ignored (choice filters are not supported)", header)))
    choices: list[ChoiceDef] = []
    first_row: dict[tuple[str, str], int] = {}
    for raw in sheet.rows:
        for key, value in raw.items():
            for language, text in (value.items() if isinstance(value, dict) else [(None, value)]):
                path = (key,) if language is None else (key, language)
                if problem := reference_problem(path, text):
                    errors.append(FormError("choices", raw["__row"], problem, sheet.headers.get(path, key)))
        choice = _choice(raw, languages, first_row, errors, warnings)
        if choice is not None:
            choices.append(choice)
    return choices


def _choice(raw: dict, languages: Languages, first_row: dict, errors: list, warnings: list) -> ChoiceDef | None:
    number = raw["__row"]
    row = {k: v for k, v in raw.items() if k != "__row"}
    list_name, name = row.get(constants.LIST_NAME_S), row.get("name")
    if not row or isinstance(list_name, dict) or isinstance(name, dict):  # translated: refused by its header
        return None
    if not list_name:
        warnings.append(str(FormError("choices", number, "a row without list_name belongs to no list and is skipped")))
        return None
    if not name:
        errors.append(FormError("choices", number, f"a choice of list '{list_name}' needs a name", "name"))
        return None
    if (list_name, name) in first_row:
        errors.append(FormError("choices", number, f"'{name}' is already a choice of list '{list_name}' on row "
                                                   f"{first_row[list_name, name]}", "name"))
        return None
    first_row[list_name, name] = number
    return ChoiceDef(list_name, name, languages.texts(row.get("label")), number)


def misnamed_sheets(workbook) -> list[FormError]:
    """Sheets named like an XLSForm sheet but for spaces around the name ("choices "), which pyxform
    reads as some other sheet: ignored, with their questions or choices, and the form then said to
    have no survey sheet or its lists to be missing, while the workbook shows them."""
    if len(workbook.sheet_names) == 1:  # a lone sheet is the survey, whatever its name
        return []
    return [FormError(f"'{name}'", None, f"the sheet name has spaces around it, so it is not read as the "
                                         f"{name.strip().lower()} sheet; rename it '{name.strip().lower()}'")
            for name in workbook.sheet_names if _misnamed(name)]


def _misnamed(name: str) -> bool:
    supported = constants.SUPPORTED_SHEET_NAMES
    return name.lower() not in supported and name.strip().lower() in supported


def read_extra_sheets(workbook, errors: list[FormError], warnings: list[str]) -> None:
    for name in workbook.sheet_names:
        lowered = name.lower()
        if _misnamed(name) and len(workbook.sheet_names) > 1:
            continue  # misnamed_sheets refuses it
        if lowered in _REFUSED_SHEETS or lowered.startswith("kobo--"):
            reason = _REFUSED_SHEETS.get(lowered, "KoboToolbox-only sheets are not supported")
            errors.append(FormError(name, 1, reason))
        elif lowered not in (constants.SURVEY, constants.CHOICES, constants.SETTINGS) and len(workbook.sheet_names) > 1:
            warnings.append(str(FormError(name, None, "not an XLSForm sheet; ignored")))
