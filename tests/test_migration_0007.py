"""Migration 0007 (drafts, invitations, access mode) upgrades a database holding questionnaires and
responses without losing them, and downgrades again."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, inspect, text

from tests.helpers import migrate

ROWS = [
    "INSERT INTO cities (id, slug, name_en, name_ru, name_kk, status, region_en, note) "
    "VALUES (1, 'almaty', 'Almaty', 'Алматы', 'Алматы', 'national', '', '')",
    "INSERT INTO questionnaires (id, slug, version, audience, year, title, status, languages, default_language, "
    "settings, created_at) VALUES (1, 'resident', 1, 'resident', 2019, '{\"en\": \"R\"}', 'open', '[]', '', '{}', "
    "'2025-01-01 00:00:00+00:00')",
    "INSERT INTO questionnaire_sections (id, questionnaire_id, name, position, labels, relevant, appearance) "
    "VALUES (1, 1, '', 0, '{}', '', '')",
    "INSERT INTO questions (id, questionnaire_id, section_id, name, type, position, labels, hints, required, "
    "required_message, relevant, \"constraint\", constraint_message, appearance) "
    "VALUES (1, 1, 1, 'q1', 'text', 1, '{}', '{}', false, '{}', '', '', '{}', '')",
    "INSERT INTO responses (id, questionnaire_id, city_id, submitted_at, source) "
    "VALUES (1, 1, 1, '2025-01-02 00:00:00+00:00', 'web')",
    "INSERT INTO response_answers (id, response_id, question_id, ordinal, value_text) VALUES (1, 1, 1, 0, 'kept')",
]


@contextmanager
def filled_at_0003(url: str) -> Iterator:
    """A database migrated to 0003 holding ROWS (a questionnaire with one answered response); its engine."""
    migrate(url, "0003")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in ROWS:
                conn.execute(text(statement))
        yield engine
    finally:
        engine.dispose()


def _check_upgrade_keeps_data(url: str) -> None:
    with filled_at_0003(url) as engine:
        migrate(url, "0007")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT slug, access_mode FROM questionnaires")).all() == [("resident", "open")]
            assert conn.execute(text("SELECT value_text FROM response_answers")).scalar_one() == "kept"
        assert {"invitations", "response_drafts"} <= set(inspect(engine).get_table_names())
        migrate(url, "-0003")
        engine.dispose()
        assert not {"invitations", "response_drafts"} & set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT value_text FROM response_answers")).scalar_one() == "kept"


def test_upgrade_to_0007_keeps_questionnaires_and_responses(empty_database):
    """Existing rows survive; old questionnaires are in open mode; the downgrade drops only the new parts."""
    _check_upgrade_keeps_data(empty_database)
