"""Builders for the files the CLI reads (catalogues, areas, indicator values) and small DB readers."""
from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from smartcity_survey import create_app
from smartcity_survey.config import TestConfig
from smartcity_survey.extensions import db
from smartcity_survey.models import Indicator, IndicatorValue, StandardVersion

CATALOGUE_COLUMNS = ["code", "area", "method", "target", "direction", "unit",
                     "name_en", "name_ru", "name_kk", "source"]
VALUE_COLUMNS = ["city", "indicator", "value", "evidence"]
AREAS_2019 = ["ctm", "hlt", "edu", "scy", "hcs", "its", "soc", "eco", "btd", "bld", "agr"]
PRIORITY = AREAS_2019[:6]
ADDITIONAL = AREAS_2019[6:]
#: the worked example of reference-standard.md: one percent indicator per area carrying the area's S
WORKED_AREAS = {"ctm": "95.4", "hlt": "77.7", "edu": "100", "scy": "76.0", "hcs": "2.2", "its": "51.9",
                "soc": "40.0", "eco": "20.5", "btd": "29.6", "bld": "60.0", "agr": "n/a"}
WORKED_ICT = ["100", "100", "0", "50", "100"]
#: codes of the bundled 2019 catalogue, one per method
YES_NO_2019 = "ctm_single_dispatch_service"
PERCENT_2019 = "ctm_public_services_electronic"
NUMERIC_2019 = "ict_broadband_speed"  # target 25 Mbit/s, higher is better


@contextmanager
def scratch_postgresql_database(database_url: str, tag: str) -> Iterator[str]:
    """A brand-new, empty database on the test run's PostgreSQL server (its URL), dropped afterwards."""
    url = make_url(database_url)
    name = f"{url.database}_{tag}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


def app_config(url: str) -> dict:
    """The test configuration bound to another database (as conftest builds it)."""
    return {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()} | {
        "SQLALCHEMY_DATABASE_URI": url}


def indicator(code: str, area: str, method: str = "percent", target: str = "", direction: str = "",
              unit: str = "") -> dict[str, str]:
    """One catalogue row with trilingual names."""
    return {"code": code, "area": area, "method": method, "target": target, "direction": direction,
            "unit": unit, "name_en": f"Indicator {code}", "name_ru": f"Показатель {code}",
            "name_kk": f"Көрсеткіш {code}", "source": "test"}


def worked_catalogue(extra_ict: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    """`<area>_1` percent indicators for the eleven non-ICT areas and five ICT ones, `ict_0`..`ict_4`."""
    rows = [indicator(f"{area}_1", area) for area in AREAS_2019]
    rows += [indicator(f"ict_{i}", "ict") for i in range(len(WORKED_ICT))]
    return rows + (extra_ict or [])


def worked_values(city: str, **overrides: str) -> list[list[str]]:
    """A city's rows reproducing the worked example; overrides replace a value by indicator code."""
    values = {f"{area}_1": percent for area, percent in WORKED_AREAS.items()}
    values |= {f"ict_{i}": percent for i, percent in enumerate(WORKED_ICT)}
    values |= overrides
    return [[city, code, value] for code, value in values.items()]


def write_csv(path: Path, header: list[str], rows: list) -> Path:
    """rows are lists in header order or dicts keyed by column."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(col, "") for col in header] if isinstance(row, dict) else row)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def invoke(runner, *args: str):
    """Run `flask <args>` through the test runner (stderr is part of result.output)."""
    return runner.invoke(args=[str(a) for a in args])


def load_catalogue(runner, tmp_path: Path, year: int, rows: list[dict[str, str]], areas: Path | None = None,
                   columns: tuple[str, ...] = ()):
    """`flask standard load` a catalogue written to a temp CSV (the required columns and the optional
    `columns`); asserts that it succeeded."""
    path = write_csv(tmp_path / f"catalogue_{year}.csv", CATALOGUE_COLUMNS + list(columns), rows)
    result = invoke(runner, "standard", "load", path, "--year", year,
                    *(["--areas", areas] if areas is not None else []))
    assert result.exit_code == 0, result.output
    return result


def import_values(runner, tmp_path: Path, year: int, rows: list[list[str]], name: str = "values.csv"):
    """`flask indicators import` rows written to a temp CSV; asserts that it succeeded."""
    path = write_csv(tmp_path / name, VALUE_COLUMNS[:3], rows)
    result = invoke(runner, "indicators", "import", path, "--year", year)
    assert result.exit_code == 0, result.output
    return result


def scores_json(runner, year: int) -> dict:
    result = invoke(runner, "scores", "--year", year, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def city(data: dict, slug: str) -> dict:
    """One city's entry from a scores document (CLI JSON or API)."""
    return next(entry for entry in data["cities"] if entry["city"] == slug)


def value_rows() -> list[tuple]:
    """Every indicator value as plain tuples, to prove a rejected import wrote nothing."""
    return [tuple(row) for row in db.session.execute(
        select(IndicatorValue.id, IndicatorValue.city_id, IndicatorValue.year_id, IndicatorValue.indicator_id,
               IndicatorValue.value, IndicatorValue.not_applicable, IndicatorValue.status,
               IndicatorValue.evidence_note, IndicatorValue.version).order_by(IndicatorValue.id))]


def catalogue_rows() -> list[tuple]:
    """Every standard version and indicator as plain tuples, to prove a rejected load wrote nothing."""
    versions = db.session.execute(
        select(StandardVersion.id, StandardVersion.year, StandardVersion.title,
               StandardVersion.catalogue_source, StandardVersion.is_official_catalogue)
        .order_by(StandardVersion.id)).all()
    indicators = db.session.execute(
        select(Indicator.id, Indicator.standard_id, Indicator.code, Indicator.area_id, Indicator.method,
               Indicator.target, Indicator.name_en).order_by(Indicator.id)).all()
    return [tuple(r) for r in versions] + [tuple(r) for r in indicators]


def migrate(url: str, *targets: str) -> None:
    """`flask db upgrade T` for each target T, `flask db downgrade T` for "-T", on the database at url."""
    app = create_app(app_config(url))
    with app.app_context():
        try:
            runner = app.test_cli_runner()
            for target in targets:
                command = ["db", "downgrade", target[1:]] if target.startswith("-") else ["db", "upgrade", target]
                result = runner.invoke(args=command)
                assert result.exit_code == 0, result.output
        finally:
            db.session.remove()
            db.engine.dispose()
