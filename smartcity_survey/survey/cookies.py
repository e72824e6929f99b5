"""The survey's two cookies, signed with the app's secret and scoped to /q.

- survey_drafts: {"<questionnaire id>.<city id>": draft token}. Answering resumes on the same device;
  nothing about the respondent is stored server-side to find the draft again.
- survey_answered: ["<questionnaire id>.<city id>", ...]. Open mode's one-response-per-browser marker:
  set on the final submit, it makes the landing page and the submit refuse a second response.

A cookie can always be deleted; the marker is one of several hurdles (with the per-address rate limit),
not proof of identity. Invitation mode does not use the marker: there the code is what counts once.
"""
from __future__ import annotations

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..models import City, Questionnaire

DRAFTS = "survey_drafts"
ANSWERED = "survey_answered"
PATH = "/q"
#: a browser answering more questionnaires than this forgets the oldest draft
MAX_ENTRIES = 20
DAY = 24 * 3600


def _key(questionnaire: Questionnaire, city: City) -> str:
    return f"{questionnaire.id}.{city.id}"


def _serializer(name: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"smartcity-{name}")


def _max_age(name: str) -> int:
    days = current_app.config["SURVEY_DRAFT_DAYS" if name == DRAFTS else "SURVEY_ANSWERED_DAYS"]
    return int(days) * DAY


def _read(name: str, empty):
    raw = request.cookies.get(name)
    if not raw:
        return empty
    try:
        data = _serializer(name).loads(raw, max_age=_max_age(name))
    except BadSignature:  # tampered, expired or signed with an old secret: start afresh
        return empty
    return data if isinstance(data, type(empty)) else empty


def _write(response: Response, name: str, data) -> None:
    response.set_cookie(name, _serializer(name).dumps(data), max_age=_max_age(name), path=PATH,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")


def draft_tokens() -> dict[str, str]:
    """Every draft token this browser holds, by questionnaire and city (see draft_token)."""
    return {key: token for key, token in _read(DRAFTS, {}).items() if isinstance(token, str)}


def draft_token(tokens: dict[str, str], questionnaire: Questionnaire, city: City) -> str | None:
    """The browser's draft token for this questionnaire version and city, among draft_tokens()."""
    return tokens.get(_key(questionnaire, city))


def remember_draft(response: Response, questionnaire: Questionnaire, city: City, token: str) -> None:
    drafts = {k: v for k, v in _read(DRAFTS, {}).items() if k != _key(questionnaire, city)}
    drafts[_key(questionnaire, city)] = token
    _write(response, DRAFTS, dict(list(drafts.items())[-MAX_ENTRIES:]))


def has_answered(questionnaire: Questionnaire, city: City) -> bool:
    return _key(questionnaire, city) in _read(ANSWERED, [])


def mark_answered(response: Response, questionnaire: Questionnaire, city: City) -> None:
    answered = [key for key in _read(ANSWERED, []) if key != _key(questionnaire, city)]
    _write(response, ANSWERED, [*answered, _key(questionnaire, city)][-MAX_ENTRIES:])
