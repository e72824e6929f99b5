"""Language choice and helpers for the three languages the platform speaks (kk, ru, en)."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

#: The units of the bundled 2019 catalogue, which has one English `unit` column: shown in the page's
#: language, so a Kazakh form does not read "Мән (days)". A unit only a loaded catalogue uses is shown as
#: that catalogue spells it.
UNIT_NAMES = {
    "days": _l("days"), "minutes": _l("minutes"), "Mbit/s": _l("Mbit/s"), "apps": _l("apps"),
    "areas": _l("areas"), "stations": _l("stations"),
    "cameras per 10k residents": _l("cameras per 10k residents"),
    "hotspots per 100k residents": _l("hotspots per 100k residents"),
    "startups per 100k residents": _l("startups per 100k residents"),
}


def select_locale() -> str:
    """?lang= wins and is remembered in the session; then the session; then the browser's choice.
    Outside a request (CLI commands, e.g. importers' messages) the default locale."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in languages:
        return remembered
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"  # our locales are bare languages: kk, ru, en


def localized(obj, field: str = "name") -> str:
    """The obj.<field>_<lang> attribute in the current language, falling back to English."""
    lang = current_language()
    return getattr(obj, f"{field}_{lang}", None) or getattr(obj, f"{field}_en")


def unit_label(unit: str | None) -> str:
    """An indicator's unit in the current language ("" for none): see UNIT_NAMES."""
    if not unit:
        return ""
    name = UNIT_NAMES.get(unit)
    return unit if name is None else str(name)


def url_in_language(lang: str) -> str:
    """The current page in another language, keeping its path and query arguments."""
    if request.endpoint is None:
        return url_for("rating.home", lang=lang)
    args = {**(request.view_args or {}), **request.args.to_dict(), "lang": lang}
    return url_for(request.endpoint, **args)
