"""Language keys for translated XLSForm columns (`label::Русский (ru)`, `label:English`, `hint::kk`)."""
from __future__ import annotations

import re

from ..questionnaire_spec import DEFAULT_LANGUAGE_KEY, Language
from .xlsform_pyxform import FormError, Sheet
from .xlsform_rules import TRANSLATABLE

#: language names written without a code that the platform's own languages are known by
KNOWN_NAMES = {"english": "en", "russian": "ru", "kazakh": "kk", "русский": "ru", "казахский": "kk",
               "русский язык": "ru", "казахский язык": "kk", "английский": "en", "английский язык": "en",
               "қазақша": "kk", "қазақ тілі": "kk", "орысша": "ru", "орыс тілі": "ru", "ағылшынша": "en",
               "ағылшын тілі": "en"}
#: the languages the platform speaks; a region-tagged code of one of them (ru-RU) is that language
PLATFORM_CODES = frozenset(KNOWN_NAMES.values())
_WITH_CODE = re.compile(r"(.*?)\s*\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\)")
_CODE = re.compile(r"[a-z]{2,3}")
_TAGGED_CODE = re.compile(r"([A-Za-z]{2,3})[-_][A-Za-z0-9]+")


def language_key(header: str) -> str:
    """'English (en)' -> 'en', 'Russian (ru-RU)' -> 'ru', 'ru' -> 'ru', 'RU' -> 'ru', 'kk-KZ' -> 'kk',
    'ru_RU' -> 'ru', 'Kazakh' -> 'kk', 'German (de-AT)' -> 'de-at', 'Tetun' -> 'Tetun', 'default' -> 'default'.
    The platform's own languages are found in any case and with `-` or `_` before a region, since the
    answering pages look up only kk, ru and en: a form's Russian under `RU` would otherwise never be shown."""
    name = header.strip()
    with_code = _WITH_CODE.fullmatch(name)
    if with_code:
        return _platform_base(with_code.group(2).lower())
    if _CODE.fullmatch(name) or name == DEFAULT_LANGUAGE_KEY:
        return name
    if name.lower() in PLATFORM_CODES:
        return name.lower()
    tagged = _TAGGED_CODE.fullmatch(name)
    if tagged and tagged.group(1).lower() in PLATFORM_CODES:
        return tagged.group(1).lower()
    return KNOWN_NAMES.get(name.casefold(), name)


def _platform_base(code: str) -> str:
    # The answering pages look texts up by the page's language (kk, ru, en) only, so a regional
    # variant of one of them would otherwise never be shown; other languages keep their region.
    base = re.split(r"[-_]", code, maxsplit=1)[0]
    return base if base in PLATFORM_CODES else code


class Languages:
    """The form's languages in order of first appearance, and the conversion of pyxform's translation
    dicts ({"English (en)": "..."} or a plain string) to {language key: text}."""

    def __init__(self, default_language: str):
        #: pyxform files plain (language-less) columns under the settings' default_language
        self.default_key = language_key(default_language) if default_language else DEFAULT_LANGUAGE_KEY
        self.by_key: dict[str, Language] = {}
        #: language key -> (sheet, first column header) of its texts, for messages
        self.first_column: dict[str, tuple[str, str]] = {}

    def register(self, sheet: Sheet) -> list[FormError]:
        """Record the languages of a sheet's translated columns; refuse two columns of one language."""
        errors: list[FormError] = []
        seen: dict[tuple[str, str], str] = {}
        for path, header in sheet.headers.items():
            base = path[:2] if path[0] == "bind" else path[:1]
            field = TRANSLATABLE.get(base)
            if field is None or len(path) > len(base) + 1:
                continue
            language = path[len(base)] if len(path) > len(base) else None
            key = language_key(language) if language is not None else self.default_key
            if (field, key) in seen:
                errors.append(FormError(sheet.name, 1, f"columns '{seen[field, key]}' and '{header}' are both "
                                                       f"language '{key}'", header))
                continue
            seen[field, key] = header
            self.by_key.setdefault(key, Language(key, language))
            self.first_column.setdefault(key, (sheet.name, header))
        return errors

    def unshown(self, languages: tuple[Language, ...]) -> list[FormError]:
        """A warning per language of the form that respondents cannot choose (the pages speak kk, ru, en):
        its texts show only where a text has none in the page's language, plain or English. Often a
        language of the platform under a name not recognised ("label::Русский язык"), hence the advice."""
        warnings = []
        for language in languages:
            if language.key in PLATFORM_CODES or language.key == DEFAULT_LANGUAGE_KEY:
                continue
            sheet, header = self.first_column[language.key]
            name = language.header or language.key  # no header language: plain columns, the default_language
            example = f"'{header} (ru)'" if language.header else f"default_language '{name} (ru)'"
            warnings.append(FormError(sheet, 1, f"'{name}' is not one of the languages respondents choose from "
                                                "(kk, ru, en), so its texts show only where a text has none in the "
                                                "page's language or English; if it is one of them, add its code in "
                                                f"brackets, e.g. {example}", header))
        return warnings

    def texts(self, value: object) -> dict[str, str]:
        if value is None or value == "":
            return {}
        if isinstance(value, str):
            return {self.default_key: value}
        return {language_key(language): text for language, text in value.items() if text}

    def used_in(self, texts: list[dict[str, str]]) -> tuple[Language, ...]:
        """The languages that carry at least one text, in order of their first column."""
        used = {key for text in texts for key in text}
        return tuple(language for key, language in self.by_key.items() if key in used)
