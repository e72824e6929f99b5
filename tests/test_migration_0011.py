"""Migration 0011 (indicator descriptions in Russian and Kazakh) keeps every indicator, translates the
shipped 2019 descriptions that are still as shipped and nothing else, and downgrades again."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from tests.helpers import migrate

SHIPPED = Path(__file__).resolve().parent.parent / "migrations" / "data" / "0011_indicator_descriptions.csv"


def _shipped() -> list[dict[str, str]]:
    with SHIPPED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _fill_at_0010(conn, first: dict[str, str], second: dict[str, str]) -> None:
    """2019 with the first shipped indicator as shipped, the second one rewritten by an administrator,
    and an indicator of its own; 2021 with the first shipped indicator's code and description."""
    for standard, year in ((1, 2019), (2, 2021)):
        conn.execute(text("INSERT INTO standard_versions (id, year, title, points_table, catalogue_source, "
                          "is_official_catalogue, loaded_at) VALUES (:id, :year, 'S', '[]', '', false, "
                          "'2025-01-01 00:00:00+00:00')"), {"id": standard, "year": year})
        conn.execute(text("INSERT INTO area_groups (id, standard_id, code, name_en, name_ru, name_kk, weight, "
                          "position, tiebreak_rank) VALUES (:id, :id, 'priority', 'P', '', '', 2, 0, 1)"),
                     {"id": standard})
        conn.execute(text("INSERT INTO areas (id, standard_id, group_id, code, name_en, name_ru, name_kk, position) "
                          "VALUES (:id, :id, :id, 'ctm', 'Urban management', '', '', 0)"), {"id": standard})
    rows = [(1, 1, first["code"], first["description_en"]), (2, 1, second["code"], "Our own wording."),
            (3, 1, "ctm_local", "A local indicator."), (4, 2, first["code"], first["description_en"])]
    for number, standard, code, description in rows:
        conn.execute(text("INSERT INTO indicators (id, standard_id, area_id, code, method, name_en, name_ru, "
                          "name_kk, description, source, position) VALUES (:id, :standard, :standard, :code, "
                          "'percent', 'N', '', '', :description, 'test', :id)"),
                     {"id": number, "standard": standard, "code": code, "description": description})


def _check(url: str) -> None:
    first, second = _shipped()[:2]
    migrate(url, "0010")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _fill_at_0010(conn, first, second)
        migrate(url, "0011")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, description, description_ru, description_kk FROM indicators "
                                     "ORDER BY id")).all()
        assert rows == [(1, first["description_en"], first["description_ru"], first["description_kk"]),
                        (2, "Our own wording.", "", ""), (3, "A local indicator.", "", ""),
                        (4, first["description_en"], "", "")]
        migrate(url, "-0010")
        engine.dispose()
        columns = {column["name"] for column in inspect(engine).get_columns("indicators")}
        assert not {"description_ru", "description_kk"} & columns
        with engine.connect() as conn:
            assert conn.execute(text("SELECT description FROM indicators ORDER BY id")).scalars().all() == [
                first["description_en"], "Our own wording.", "A local indicator.", first["description_en"]]
    finally:
        engine.dispose()


def test_upgrade_to_0011_translates_only_shipped_descriptions(empty_database):
    _check(empty_database)
