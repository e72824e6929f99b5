"""Language choice and helpers for the three languages the platform speaks (kk, ru, en)."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session, url_for
from flask_babel import get_locale

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


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


def url_in_language(lang: str) -> str:
    """The current page in another language, keeping its path and query arguments."""
    if request.endpoint is None:
        return url_for("rating.home", lang=lang)
    args = {**(request.view_args or {}), **request.args.to_dict(), "lang": lang}
    return url_for(request.endpoint, **args)
