"""`flask questionnaires ...` and `flask responses import`: each commits once, or rolls back and exits 1."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click
from flask.cli import AppGroup

from .cli import existing_file, one_transaction, print_progress
from .services.standards import ImportRejected

questionnaires_cli = AppGroup("questionnaires", help="Resident and business questionnaires (XLSForm).")
responses_cli = AppGroup("responses", help="Responses to questionnaires.")


def _city_list(text: str | None) -> list[str] | None:
    return None if text is None else [slug.strip() for slug in text.split(",") if slug.strip()]


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a date or date-time (YYYY-MM-DD[THH:MM])") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _describe(questionnaire) -> str:
    open_in = sum(1 for entry in questionnaire.cities if entry.is_open)
    answerable = sum(1 for q in questionnaire.questions if q.type != "note")
    return (f"{questionnaire.slug} version {questionnaire.version} ({questionnaire.audience}, {questionnaire.year}): "
            f"{answerable} questions, {questionnaire.status}" + (f" in {open_in} cities" if open_in else "")
            + f", {questionnaire.access_mode} mode")


MODE_OPTION = click.option(
    "--mode", type=click.Choice(["open", "invitation"]),
    help="Who may answer: anyone with the link, once per browser (open), or holders of a single-use code "
         "(invitation; then `flask invitations generate`). Default: unchanged (new questionnaires: open).")


@questionnaires_cli.command("import")
@click.argument("path")
@click.option("--year", type=int, required=True, help="Assessment year the answers are set against.")
@click.option("--audience", type=click.Choice(["resident", "business"]), required=True)
@click.option("--open", "open_now", is_flag=True, help="Open it at once in every city.")
@click.option("--new-version", is_flag=True, help="The form_id exists: add this file as its next version.")
@MODE_OPTION
def questionnaires_import(path: str, year: int, audience: str, open_now: bool, new_version: bool,
                          mode: str | None) -> None:
    """Import an XLSForm (.xlsx) as a draft questionnaire; its slug is the form's form_id."""
    from .io.xlsform import read_xlsform
    from .services.answerable import set_access_mode
    from .services.questionnaires import create_questionnaire, open_questionnaire

    result = read_xlsform(existing_file(path))
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    with one_transaction():
        if result.errors:
            raise ImportRejected(result.errors)
        questionnaire = create_questionnaire(result.definition, year=year, audience=audience,
                                             new_version=new_version)
        if mode is not None:
            set_access_mode(questionnaire.slug, mode)
        if open_now:
            open_questionnaire(questionnaire.slug)
        click.echo(f"imported {_describe(questionnaire)}")


@questionnaires_cli.command("export")
@click.argument("slug")
@click.option("--version", type=int, help="Default: the latest version.")
@click.option("--output", "-o", required=True, help="The .xlsx file to write.")
def questionnaires_export(slug: str, version: int | None, output: str) -> None:
    """Write a questionnaire back to XLSForm."""
    from .io.xlsform import write_xlsform
    from .services.questionnaires import require_questionnaire

    with one_transaction():
        questionnaire = require_questionnaire(slug, version)
        Path(output).write_bytes(write_xlsform(questionnaire.to_definition()))
        click.echo(f"wrote {slug} version {questionnaire.version} to {output}")


@questionnaires_cli.command("open")
@click.argument("slug")
@click.option("--cities", help="Comma-separated city slugs; default: its cities, or every city.")
@click.option("--closes-at", help="When answering ends (YYYY-MM-DD[THH:MM], UTC unless a zone is given).")
@MODE_OPTION
def questionnaires_open(slug: str, cities: str | None, closes_at: str | None, mode: str | None) -> None:
    """Open the latest version of a questionnaire (a draft, or more cities of an open one)."""
    from .services.answerable import set_access_mode
    from .services.questionnaires import open_questionnaire

    with one_transaction():
        if mode is not None:
            set_access_mode(slug, mode)
        click.echo(f"opened {_describe(open_questionnaire(slug, _city_list(cities), closes_at=_moment(closes_at)))}")


@questionnaires_cli.command("close")
@click.argument("slug")
@click.option("--cities", help="Comma-separated city slugs; default: close the questionnaire altogether.")
def questionnaires_close(slug: str, cities: str | None) -> None:
    """Close the latest version of a questionnaire, in some cities or altogether."""
    from .services.questionnaires import close_questionnaire

    with one_transaction():
        click.echo(f"closed: {_describe(close_questionnaire(slug, _city_list(cities)))}")


@questionnaires_cli.command("list")
def questionnaires_list() -> None:
    """Every questionnaire version with its status."""
    from .services.questionnaires import list_questionnaires

    for questionnaire in list_questionnaires():
        click.echo(_describe(questionnaire))


@responses_cli.command("import")
@click.argument("path")
@click.option("--questionnaire", "slug", required=True, help="Slug of the questionnaire (its latest version).")
def responses_import(path: str, slug: str) -> None:
    """Import paper/phone responses (CSV or XLSX: respondent_id, city, [weight], one column per question)."""
    from .services.responses import import_responses

    with one_transaction():
        count = import_responses(slug, existing_file(path), progress=print_progress)
        click.echo(f"imported {count} responses into {slug}")


COMMANDS = (questionnaires_cli, responses_cli)
