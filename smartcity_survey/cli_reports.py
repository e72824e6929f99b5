"""`flask report` and `flask margins load`: official vs perceived from the command line."""
from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from .cli import existing_file, one_transaction

margins_cli = AppGroup("margins", help="Population margins used to weight (rake) survey answers.")


@click.command("report")
@click.option("--year", type=int, required=True)
@click.option("--city", "city_slug", help="One city (slug).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "table"]), default="table")
@click.option("--min-n", type=int, help="Suppress perceived figures below this many respondents.")
@click.option("--gap-threshold", type=float, help="Points of difference that flag a gap.")
def report_command(year: int, city_slug: str | None, fmt: str, min_n: int | None,
                   gap_threshold: float | None) -> None:
    """Official vs perceived scores of a year: per city, area and audience, with n, intervals and gaps."""
    from dataclasses import replace

    from .io.report_tables import AREA_HEADERS, area_rows
    from .io.spreadsheets import to_csv
    from .services.report_cache import cached_report, city_report, settings_from_config

    settings = settings_from_config()
    settings = replace(settings, **{k: v for k, v in (("min_n", min_n), ("gap_threshold", gap_threshold))
                                    if v is not None})
    if settings.min_n < 2:
        raise click.ClickException("--min-n must be at least 2")
    report = cached_report(year, settings)
    if report is None:
        raise click.ClickException(f"no assessment year {year}")
    if city_slug:
        report = city_report(report, city_slug)
        if report is None:
            raise click.ClickException(f"no official values or responses for city '{city_slug}' in {year}")
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(to_csv(AREA_HEADERS, area_rows(report)).decode("utf-8-sig"), nl=False)
    else:
        click.echo(_table(report))


def _table(report: dict) -> str:
    lines = [f"Official vs perceived {report['year']}" + (" (DEMO: synthetic data)" if report["demo"] else "")
             + f" — min n {report['min_n']}, gap threshold {report['gap_threshold']}"]
    for city in report["cities"]:
        official = city["official"] or {}
        lines.append(f"\n{city['name']}: official rank {official.get('rank', '—')}, level "
                     f"{_fmt(official.get('level_percent'))}; residents' level "
                     f"{_fmt(city['perceived']['resident']['level_percent'])} "
                     f"(weighting {city['perceived']['resident']['weighting']})")
        lines.append(f"  {'area':5} {'official':>9} {'resident':>9} {'n':>5} {'95% CI':>15}  flag")
        for area, figure in city["perceived"]["resident"]["areas"].items():
            gap = ((city["gaps"] or {}).get("resident") or {}).get(area) or {}
            official_area = (official.get("areas") or {}).get(area)
            interval = "too few" if figure["suppressed"] else f"{_fmt(figure['ci_low'])}–{_fmt(figure['ci_high'])}"
            lines.append(f"  {area:5} {_fmt(official_area and official_area['percent']):>9} "
                         f"{_fmt(figure['percent']):>9} {figure['n']:>5} {interval:>15}  {gap.get('flag') or ''}")
    correlation = report["rank_correlation"]
    lines.append(f"\nSpearman rho (official vs resident level): {_fmt(correlation['spearman'], 3)} "
                 f"over {correlation['cities']} cities")
    return "\n".join(lines)


def _fmt(value, places: int = 1) -> str:
    return "—" if value is None else f"{value:.{places}f}"


@margins_cli.command("load")
@click.argument("path")
def margins_load(path: str) -> None:
    """Load population margins (city,variable,category,share), replacing the cities' previous ones."""
    from .services.margins import load_margins

    with one_transaction():
        summary = load_margins(existing_file(path))
        click.echo(f"{summary['rows']} margins for {summary['cities']} cities loaded")


REPORT_COMMANDS = (report_command, margins_cli)
