"""`flask invitations generate` and `flask drafts purge`: each commits once, or rolls back and exits 1."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .cli import one_transaction

invitations_cli = AppGroup("invitations", help="Single-use invitation codes (questionnaires in invitation mode).")
drafts_cli = AppGroup("drafts", help="Answers in progress on the public pages.")


@invitations_cli.command("generate")
@click.argument("slug")
@click.option("--city", "city_slug", required=True, help="City slug the codes are for.")
@click.option("-n", "--count", type=int, required=True, help="How many codes.")
@click.option("--output", "-o", required=True, help="CSV file to write (code,link); refused if it exists.")
@click.option("--base-url", help="Site address for the links, e.g. https://survey.example.kz "
                                 "(default: PUBLIC_BASE_URL).")
def invitations_generate(slug: str, city_slug: str, count: int, output: str, base_url: str | None) -> None:
    """Generate single-use codes for the latest version of a questionnaire in one city. The plain codes
    are written only to the CSV (the database keeps their hashes): distribute it, then keep it safe."""
    from .services.invitations import generate_invitations, invitations_csv
    from .services.questionnaires import find_cities, require_questionnaire

    base_url = base_url or current_app.config["PUBLIC_BASE_URL"]
    if not base_url.startswith(("http://", "https://")):
        raise click.ClickException("give the site address with --base-url https://… (or set PUBLIC_BASE_URL)")
    target = Path(output)
    if target.exists():
        raise click.ClickException(f"{output} exists; codes are never overwritten")
    with one_transaction():
        questionnaire = require_questionnaire(slug)
        city = find_cities([city_slug])[0]
        codes = generate_invitations(questionnaire, city, count)
        # written inside the transaction: if the file cannot be written, no code is stored either
        target.write_text(invitations_csv(base_url, questionnaire, city, codes), encoding="utf-8")
        click.echo(f"wrote {len(codes)} invitation codes for {slug} in {city_slug} to {output}")


@drafts_cli.command("purge")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Delete drafts untouched for this many days (default: SURVEY_DRAFT_DAYS).")
def drafts_purge(days: int | None) -> None:
    """Delete abandoned drafts and the husks of submitted ones (never responses)."""
    from .services.drafts import purge_drafts

    days = days or current_app.config["SURVEY_DRAFT_DAYS"]
    with one_transaction():
        count = purge_drafts(datetime.now(timezone.utc) - timedelta(days=days))
        click.echo(f"deleted {count} drafts untouched for {days} days or more")


COMMANDS = (invitations_cli, drafts_cli)
