"""Flask sub-commands: `flask --app wsgi <command>`. Each commits once, or rolls back and exits non-zero."""
from __future__ import annotations

import csv
import io
import json
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade

from .extensions import db
from .services import DomainError
from .services.standards import ImportRejected

standard_cli = AppGroup("standard", help="Standard versions and their indicator catalogues.")
cities_cli = AppGroup("cities", help="Cities assessed against the standard.")
indicators_cli = AppGroup("indicators", help="Indicator values reported by cities.")


@contextmanager
def one_transaction():
    """Commit when the block succeeds; on a domain error roll back, print it, and exit 1."""
    try:
        yield
        db.session.commit()
    except ImportRejected as exc:
        db.session.rollback()
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        raise click.ClickException(f"rejected: {len(exc.errors)} problem(s); nothing was written") from None
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None


def print_progress(done: int, total: int) -> None:
    """A big import takes a while (20,000 responses, about a minute on PostgreSQL): say how far it got,
    on stderr so that stdout keeps only the result. Scripts watch these lines too (scripts/loadtest.py
    kills an import on one to prove that a half-written import leaves nothing)."""
    click.echo(f"{done:,} of {total:,} rows written; none is kept until all are", err=True)


def existing_file(path: str) -> Path:
    file = Path(path)
    if not file.is_file():
        raise click.ClickException(f"no such file: {path}")
    return file


@click.command("init")
@click.option("--year", type=int, default=None, help="Year of the shipped questionnaires (default: this year).")
def init_command(year: int | None) -> None:
    """Create or upgrade the schema; load the bundled standard, the cities and the shipped questionnaires
    (as drafts). Idempotent."""
    from .services.cities import load_cities
    from .services.questionnaires import load_default_questionnaires
    from .services.standards import load_bundled_standard

    upgrade()
    with one_transaction():
        standard = load_bundled_standard()
        cities = load_cities()
        created = load_default_questionnaires(year or datetime.now(timezone.utc).year)
        click.echo(f"schema current; standard {standard.year}: {len(standard.indicators)} indicators; "
                   f"{cities} cities; questionnaires added: {', '.join(q.slug for q in created) or 'none'}")


@standard_cli.command("load")
@click.argument("catalogue")
@click.option("--year", type=int, required=True, help="Assessment year the catalogue applies from.")
@click.option("--areas", "areas_file", help="Areas file (code,group,name_en,name_ru,name_kk[,weight]).")
def standard_load(catalogue: str, year: int, areas_file: str | None) -> None:
    """Load an indicator catalogue CSV for a year, replacing that year's catalogue."""
    from .services.standards import load_catalogue_files

    catalogue_path = existing_file(catalogue)
    areas_path = existing_file(areas_file) if areas_file else None
    with one_transaction():
        version = load_catalogue_files(year, catalogue_path, areas_path)
        click.echo(f"standard {version.year}: {len(version.areas)} areas in {len(version.groups)} groups, "
                   f"{len(version.indicators)} indicators")


@cities_cli.command("load")
@click.argument("path")
def cities_load(path: str) -> None:
    """Create or update cities from a CSV/XLSX with the columns of cities.csv."""
    from .services.cities import load_cities

    with one_transaction():
        click.echo(f"{load_cities(existing_file(path))} cities loaded")


@indicators_cli.command("import")
@click.argument("path")
@click.option("--year", type=int, required=True)
def indicators_import(path: str, year: int) -> None:
    """Import city,indicator,value[,evidence] rows (CSV or XLSX), all or nothing, as verified values."""
    from .services.indicator_values import import_values_file

    file = existing_file(path)
    with one_transaction():
        summary = import_values_file(year, file, actor=f"import:{file.name}", progress=print_progress)
        click.echo(f"{summary.total} rows: {summary.created} new, {summary.updated} changed, "
                   f"{summary.unchanged} unchanged")


@click.command("scores")
@click.option("--year", type=int, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def scores_command(year: int, fmt: str) -> None:
    """The rating of a year from verified values."""
    from .serializers import rating_dict
    from .services.rating import official_rating

    rating = official_rating(year)
    if rating is None:
        raise click.ClickException(f"no assessment year {year}")
    data = rating_dict(rating)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(_scores_csv(data, [g.code for g in rating.standard.groups],
                               [a.code for a in rating.standard.areas]), nl=False)
    else:
        click.echo(_scores_table(data, [g.code for g in rating.standard.groups]))


def _scores_rows(data: dict, groups: list[str], areas: list[str]):
    for c in data["cities"]:
        total = c["total"] or {}
        yield [c["rank"], c["city"], c["name"], total.get("points"), total.get("percent"), c["level_percent"],
               *[(c["groups"][g] or {}).get("percent") for g in groups],
               *[(c["areas"][a] or {}).get("percent") for a in areas]]


def _scores_csv(data: dict, groups: list[str], areas: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # Group and area codes may coincide (2019's ICT is both): the prefixes keep every column name unique.
    writer.writerow(["rank", "city", "name", "points", "total_percent", "level_percent",
                     *[f"group_{g}_percent" for g in groups], *[f"area_{a}_percent" for a in areas]])
    writer.writerows(["" if v is None else v for v in row] for row in _scores_rows(data, groups, areas))
    return out.getvalue()


def _scores_table(data: dict, groups: list[str]) -> str:
    header = ["rank", "city", "points", "C_t %", "level %", *[f"{g} %" for g in groups]]
    rows = [[str(v if v is not None else "—") for v in row[:1] + row[2:]]
            for row in _scores_rows(data, groups, [])]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    lines = [f"Rating {data['year']}" + (" (DEMO: synthetic data)" if data.get("demo") else ""),
             "  ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in rows]
    if not rows:
        lines.append("(no city has values for this year)")
    return "\n".join(lines)


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has data.")
def demo_command(if_empty: bool) -> None:
    """Fill an empty database with clearly labelled synthetic data: official values for two years and
    resident and business answers for the second."""
    from .services.demo import DEMO_YEAR, SURVEY_YEAR, database_has_values, fill_demo_year
    from .services.demo_survey import fill_demo_survey

    if if_empty and database_has_values():
        click.echo("the database already has data; demo not loaded")
        return
    with one_transaction():
        values = fill_demo_year(DEMO_YEAR) + fill_demo_year(SURVEY_YEAR)
        responses = fill_demo_survey(SURVEY_YEAR)
        click.echo(f"demo years {DEMO_YEAR} and {SURVEY_YEAR}: {values} synthetic indicator values and "
                   f"{responses} synthetic responses for {SURVEY_YEAR} (labelled DEMO)")


users_cli = AppGroup("users", help="Accounts of administrators, analysts and akimat officers.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["admin", "analyst", "akimat"]), required=True)
@click.option("--city", "city_slug", help="The city of an akimat officer (slug).")
def users_create(email: str, role: str, city_slug: str | None) -> None:
    """Create an account. The password is read from a prompt, or from stdin when piped; never an argument."""
    from .services.accounts import create_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    with one_transaction():
        user = create_user(email, role, password, city_slug)
        click.echo(f"created {user.role} {user.email}" + (f" for {user.city.slug}" if user.city else ""))


years_cli = AppGroup("years", help="Assessment years cities report for.")


@years_cli.command("open")
@click.argument("year", type=int)
def years_open(year: int) -> None:
    """Open an assessment year so akimat officers can fill in its form (idempotent)."""
    from .services.standards import ensure_assessment_year

    with one_transaction():
        assessment = ensure_assessment_year(year)
        click.echo(f"assessment year {assessment.year} is open, rated by the {assessment.standard.year} standard")


backup_cli = AppGroup("backup", help="Dump the platform's data to a zip, or restore it.")


def _file_dirs() -> dict[str, Path]:
    """Folders of uploaded files that belong in a backup (config keys ending in _DIR)."""
    from flask import current_app

    return {key.lower(): Path(current_app.config[key]) for key in ("EVIDENCE_DIR",) if key in current_app.config}


@backup_cli.command("dump")
@click.argument("archive")
def backup_dump(archive: str) -> None:
    """Write every table and uploaded file into ARCHIVE (.zip)."""
    from .services.backup import dump

    counts = dump(Path(archive), _file_dirs())
    click.echo(f"{sum(counts.values())} rows from {len(counts)} tables written to {archive}")


@backup_cli.command("restore")
@click.argument("archive")
def backup_restore(archive: str) -> None:
    """Load ARCHIVE into an empty database at the same schema revision (all or nothing)."""
    from .services.backup import restore

    with one_transaction():
        counts = restore(existing_file(archive), _file_dirs())
        click.echo(f"{sum(counts.values())} rows restored into {len(counts)} tables")


translate_cli = AppGroup("translate", help="Translation catalogues (kk, ru, en).")
_TRANSLATIONS = Path(__file__).parent / "translations"


def _pybabel(*args: str) -> None:
    import subprocess

    subprocess.run(["pybabel", *args], check=True, cwd=Path(__file__).parent.parent)


@translate_cli.command("update")
def translate_update() -> None:
    """Extract every marked string and merge it into the kk, ru and en catalogues."""
    pot = str(_TRANSLATIONS / "messages.pot")
    _pybabel("extract", "-F", "babel.cfg", "-k", "lazy_gettext", "-k", "_l", "--no-location",
             "--sort-output", "-o", pot, ".")
    _pybabel("update", "-i", pot, "-d", str(_TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the catalogues to .mo files (scripts/setup.sh does this on every set-up)."""
    _pybabel("compile", "-d", str(_TRANSLATIONS))


def register_commands(app: Flask) -> None:
    from .cli_questionnaires import COMMANDS as QUESTIONNAIRE_COMMANDS
    from .cli_reports import REPORT_COMMANDS
    from .cli_survey import COMMANDS as SURVEY_COMMANDS

    for command in (init_command, scores_command, demo_command, standard_cli, cities_cli, indicators_cli,
                    translate_cli, users_cli, years_cli, backup_cli, *QUESTIONNAIRE_COMMANDS,
                    *SURVEY_COMMANDS, *REPORT_COMMANDS):
        app.cli.add_command(command)
