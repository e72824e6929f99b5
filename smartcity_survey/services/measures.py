"""Derive the per-response measures a report reads (models.perceived.ResponseMeasure).

One definition, in SQL that SQLite and PostgreSQL both accept, serves three callers: a response being
stored (web or import), a backfill of existing responses (migration 0005, `flask responses
rebuild-measures`), and the tests that compare the two. Mapping: a rating r in 1..5 is (r-1)*25,
"don't know" (no number) is left out; a response's area score is the mean over its mapped ratings in
that area, so it counts once per area. An indicator check is the share of the response's answers to
questions mapped to that indicator that are positive: a rating of 4-5, or "yes".
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

_INSERT = "INSERT INTO response_measures (response_id, year, audience, city_id, kind, code, value, weight) "
_FROM = """
FROM response_answers a
JOIN questions q ON q.id = a.question_id
JOIN responses r ON r.id = a.response_id
JOIN questionnaires qn ON qn.id = r.questionnaire_id
"""
_AREA_SCORES = """
SELECT r.id, qn.year, qn.audience, r.city_id, 'area', q.area_code, AVG((a.value_number - 1) * 25.0), r.weight
""" + _FROM + """
WHERE q.type = 'rating' AND q.area_code IS NOT NULL AND a.value_number IS NOT NULL {scope}
GROUP BY r.id, qn.year, qn.audience, r.city_id, q.area_code, r.weight
"""
_INDICATOR_CHECKS = """
SELECT r.id, qn.year, qn.audience, r.city_id, 'indicator', q.indicator_code,
       AVG(CASE WHEN a.value_number >= 4 OR a.value_text = 'yes' THEN 1.0 ELSE 0.0 END), r.weight
""" + _FROM + """
WHERE q.indicator_code IS NOT NULL
  AND ((q.type = 'rating' AND a.value_number IS NOT NULL) OR (q.type = 'single' AND a.value_text IN ('yes', 'no')))
  {scope}
GROUP BY r.id, qn.year, qn.audience, r.city_id, q.indicator_code, r.weight
"""
#: both kinds of measure in one statement ({scope}: a condition on r, or nothing)
MEASURES_SQL = _INSERT + _AREA_SCORES + "UNION ALL" + _INDICATOR_CHECKS
# Built once: it runs on every web submit.
_FOR_RESPONSES = text(MEASURES_SQL.format(scope="AND r.id IN :ids")).bindparams(bindparam("ids", expanding=True))
#: ids per statement, well under SQLite's bound-parameter limit
CHUNK = 500


def derive_measures(session: Session, response_ids: Sequence[int]) -> None:
    """Compute the measures of newly stored responses (flushed, in the caller's transaction)."""
    for start in range(0, len(response_ids), CHUNK):
        session.execute(_FOR_RESPONSES, {"ids": list(response_ids[start:start + CHUNK])})


def rebuild_all_measures(connection) -> None:
    """Recompute every measure from the stored answers (backfill; idempotent)."""
    connection.execute(text("DELETE FROM response_measures"))
    connection.execute(text(MEASURES_SQL.format(scope="")))
