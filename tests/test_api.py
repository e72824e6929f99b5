"""The JSON API under /api/v1: the worked example, the documented shape, UTF-8 and JSON 404s."""
from __future__ import annotations

import json

import pytest

from tests.helpers import city, import_values, load_catalogue, worked_catalogue, worked_values

YEAR = 2020
CITY_KEYS = {"city", "name", "rank", "areas", "groups", "total", "level_percent"}
AREA_KEYS = {"percent", "indicators", "not_reported", "not_applicable"}
GROUP_KEYS = {"percent", "points", "weighted_points"}


@pytest.fixture
def worked(seeded, runner, tmp_path, client):
    """The worked example for Astana in 2020, loaded through the CLI, read through the API."""
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue())
    import_values(runner, tmp_path, YEAR, worked_values("astana"))
    return client


def _json(response) -> dict:
    assert response.content_type == "application/json; charset=utf-8"
    return json.loads(response.get_data().decode("utf-8"))


def _assert_worked_example(entry: dict) -> None:
    assert set(entry) >= CITY_KEYS and entry["city"] == "astana" and entry["rank"] == 1
    assert entry["total"] == {"points": 18, "percent": 72.0}
    assert round(entry["level_percent"], 2) == 58.24
    assert entry["groups"] == {
        "priority": {"percent": 67.2, "points": 4, "weighted_points": 8},
        "additional": {"percent": 37.525, "points": 2, "weighted_points": 2},
        "ict": {"percent": 70.0, "points": 4, "weighted_points": 8}}
    assert entry["areas"]["agr"] is None
    assert entry["areas"]["eco"] == {"percent": 20.5, "indicators": 1, "not_reported": 0, "not_applicable": 0}


def test_year_scores_reproduce_the_worked_example(worked):
    """GET /years/2020/scores: 18 points, 72 %, level 58.24 %, groups 8 / 2 / 8."""
    response = worked.get(f"/api/v1/years/{YEAR}/scores")
    assert response.status_code == 200
    data = _json(response)
    assert list(data) == ["year", "demo", "cities"] and data["year"] == YEAR
    assert [c["city"] for c in data["cities"]] == ["astana"]  # cities without values are left out
    entry = data["cities"][0]
    assert set(entry) == CITY_KEYS
    _assert_worked_example(entry)


def test_score_document_has_the_documented_shape(worked):
    """Every area is null or {percent, indicators, not_reported, not_applicable}; groups and total likewise."""
    entry = _json(worked.get(f"/api/v1/years/{YEAR}/scores"))["cities"][0]
    assert list(entry) == ["city", "name", "rank", "areas", "groups", "total", "level_percent"]
    assert list(entry["areas"]) == ["ctm", "hlt", "edu", "scy", "hcs", "its", "soc", "eco", "btd", "bld",
                                    "agr", "ict"]
    assert all(area is None or set(area) == AREA_KEYS for area in entry["areas"].values())
    assert all(set(group) == GROUP_KEYS for group in entry["groups"].values())
    assert set(entry["total"]) == {"points", "percent"}


def test_city_scores_reproduce_the_worked_example(worked):
    """GET /years/2020/cities/astana/scores: the same figures for one city, with the year."""
    response = worked.get(f"/api/v1/years/{YEAR}/cities/astana/scores")
    assert response.status_code == 200
    data = _json(response)
    assert data["year"] == YEAR and data["name"] == "Astana"
    _assert_worked_example(data)


def test_standard_is_utf8_json_with_cyrillic_unescaped(seeded, client):
    """GET /standards/2019: UTF-8 JSON whose bytes carry Cyrillic and Kazakh letters, not \\u escapes."""
    response = client.get("/api/v1/standards/2019")
    assert response.status_code == 200
    body = response.get_data()
    assert "Здравоохранение".encode() in body and "Денсаулық сақтау".encode() in body
    assert b"\\u04" not in body and b"\\u0" not in body
    data = _json(response)
    assert data["year"] == 2019 and data["official_catalogue"] is False
    assert [g["code"] for g in data["groups"]] == ["priority", "additional", "ict"]
    assert [g["weight"] for g in data["groups"]] == [2, 1, 2]
    assert len(data["areas"]) == 12 and len(data["indicators"]) > 0


def test_standard_of_a_later_year_is_the_version_in_force(seeded, client):
    """2023 has no version of its own: the 2019 standard answers."""
    assert _json(client.get("/api/v1/standards/2023"))["year"] == 2019


@pytest.mark.parametrize("url, message", [
    ("/api/v1/years/1999/scores", "no assessment year 1999"),
    ("/api/v1/years/1999/cities/astana/scores", "no assessment year 1999"),
    (f"/api/v1/years/{YEAR}/cities/gotham/scores", "gotham"),
    (f"/api/v1/years/{YEAR}/cities/almaty/scores", "almaty"),  # a real city without values
    ("/api/v1/standards/1999", "no standard version covers 1999"),
    ("/api/v1/no-such-endpoint", "not found"),
], ids=["year", "year-of-city", "unknown-city", "city-without-values", "standard", "endpoint"])
def test_unknown_year_or_city_answers_a_404_json_body(worked, url, message):
    """Unknown years, cities and standards answer 404 with {"error": {"status": 404, "message": ...}}."""
    response = worked.get(url)
    assert response.status_code == 404
    assert response.content_type.startswith("application/json")
    error = response.get_json()["error"]
    assert error["status"] == 404 and message in error["message"].lower()


def test_tied_cities_share_a_rank_in_the_api(seeded, runner, tmp_path, client):
    """Two cities with identical values: equal rank 1, listed by name; the next city is 3rd."""
    load_catalogue(runner, tmp_path, YEAR, worked_catalogue())
    import_values(runner, tmp_path, YEAR, worked_values("astana") + worked_values("aktobe")
                  + worked_values("oral", eco_1="0"))
    data = _json(client.get(f"/api/v1/years/{YEAR}/scores"))
    assert [(c["rank"], c["city"]) for c in data["cities"]] == [(1, "aktobe"), (1, "astana"), (3, "oral")]
    assert _json(client.get(f"/api/v1/years/{YEAR}/cities/astana/scores"))["rank"] == 1
    assert city(data, "oral")["total"] == city(data, "astana")["total"]  # tie broken on S_add only


def test_numbers_beyond_a_database_integer_are_not_found(seeded, client):
    """A year or id too big for PostgreSQL's INTEGER matches no route: a JSON 404, on both databases
    (found by the fuzz run on PostgreSQL: year 2,147,483,648 was a 500)."""
    for path in ("/api/v1/years/2147483648/scores", "/api/v1/standards/99999999999",
                 "/api/v1/years/2147483648/cities/almaty/report"):
        response = client.get(path)
        assert response.status_code == 404 and response.is_json, path
    assert client.get("/api/v1/years/2147483647/scores").status_code == 404  # the largest: looked up, none
