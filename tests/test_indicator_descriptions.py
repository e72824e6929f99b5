"""How an indicator is measured, in the reader's language: the catalogue's optional description_ru /
description_kk columns, the officer's form, the analyst's read-only view, the standard page and the API."""
from __future__ import annotations

import csv
import re

from markupsafe import escape
from sqlalchemy import select

from smartcity_survey.config import PROJECT_ROOT
from smartcity_survey.extensions import db
from smartcity_survey.models import Indicator
from tests.helpers import indicator, load_catalogue
from tests.helpers_assessments import area_url, indicator as stored_indicator, signed_in

CYRILLIC = re.compile("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def _described(code: str, area: str, **descriptions: str) -> dict[str, str]:
    return indicator(code, area) | descriptions


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_every_shipped_indicator_is_described_in_three_languages():
    """The bundled 2019 catalogue says how each indicator is measured in English, Russian and Kazakh."""
    path = PROJECT_ROOT / "smartcity_survey" / "data" / "standards" / "2019" / "indicators.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["description"] and not CYRILLIC.search(row["description"]), row["code"]
        for column in ("description_ru", "description_kk"):
            assert CYRILLIC.search(row[column]), (row["code"], column)


def test_catalogue_translations_are_stored_and_shown_in_the_page_language(seeded, runner, tmp_path, client):
    """A catalogue with description_ru / description_kk: each language's standard page and the API show them."""
    load_catalogue(runner, tmp_path, 2021, [_described(
        "ctm_x", "ctm", description="Share of services online.", description_ru="Доля услуг онлайн.",
        description_kk="Онлайн қызметтер үлесі.")], columns=("description", "description_ru", "description_kk"))
    assert "Share of services online." in _page(client, "/standard/2021?lang=en")
    russian = _page(client, "/standard/2021?lang=ru")
    assert "Доля услуг онлайн." in russian and "Share of services online." not in russian
    assert "Онлайн қызметтер үлесі." in _page(client, "/standard/2021?lang=kk")
    api = client.get("/api/v1/standards/2021").get_json()["indicators"][0]
    assert api["description"] == "Share of services online."
    assert api["descriptions"] == {"en": "Share of services online.", "ru": "Доля услуг онлайн.",
                                   "kk": "Онлайн қызметтер үлесі."}


def test_a_missing_translation_falls_back_to_english_and_a_reload_replaces_them(seeded, runner, tmp_path, client):
    """Without a Russian description the Russian page gives the English one; a catalogue loaded again
    without the columns leaves no stale translation behind (the file is the whole catalogue)."""
    load_catalogue(runner, tmp_path, 2021, [_described("ctm_x", "ctm", description="Counted yearly.",
                                                       description_kk="Жыл сайын саналады.")],
                   columns=("description", "description_ru", "description_kk"))
    assert "Counted yearly." in _page(client, "/standard/2021?lang=ru")
    assert "Жыл сайын саналады." in _page(client, "/standard/2021?lang=kk")
    load_catalogue(runner, tmp_path, 2021, [_described("ctm_x", "ctm", description="Counted yearly.")],
                   columns=("description",))
    stored = db.session.scalar(select(Indicator).where(Indicator.code == "ctm_x"))
    assert (stored.description_ru, stored.description_kk) == ("", "")
    assert "Counted yearly." in _page(client, "/standard/2021?lang=kk")


def test_officer_reads_how_each_indicator_is_measured_in_their_language(app, people):
    """On the akimat form every indicator carries its definition, in the page's language."""
    hotline = stored_indicator("ctm_hotline_109")
    client = signed_in(app, people["officer_a"])
    pages = {lang: _page(client, area_url("ctm") + f"?lang={lang}") for lang in ("en", "ru", "kk")}
    assert escape(hotline.description) in pages["en"]
    assert escape(hotline.description_ru) in pages["ru"] and escape(hotline.description) not in pages["ru"]
    assert escape(hotline.description_kk) in pages["kk"]
    assert pages["ru"].count('class="indicator-description"') == len(hotline.area.indicators)


def test_analyst_reads_the_definition_next_to_the_reported_value(app, people):
    """The read-only view (the analyst's) shows the same definition."""
    hotline = stored_indicator("ctm_hotline_109")
    page = _page(signed_in(app, people["analyst"]), area_url("ctm") + "?lang=kk")
    assert 'class="indicator readonly"' in page and escape(hotline.description_kk) in page
