"""`flask responses import`: paper and phone survey files, validated like web answers, all or nothing."""
import io
import os
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, event, func, insert, select, text
from sqlalchemy.exc import OperationalError

from smartcity_survey.extensions import db
from smartcity_survey.models import Answer, City, Response, ResponseMeasure
from smartcity_survey.services import responses as responses_service
from smartcity_survey.services import DomainError
from smartcity_survey.services.responses import import_responses, response_values
from smartcity_survey.services.standards import ImportRejected
from tests.survey_helpers import grouped  # noqa: F401  (fixture)

HEADER = "respondent_id,city,weight,booked,booking,wifi,uses,top,household,spend,comment"
GOOD_ROWS = [
    "p-1,almaty,1.5,yes,4,dk,hlt its,its hlt,3,\"12,50\",Works well",
    "p-2,Алматы,1,no,,2,,,,,",
    "p-3,ASTANA,0.8,yes,5,,edu,,1,0,",
]


@pytest.fixture
def small(make_questionnaire):
    return make_questionnaire(open_in=["almaty", "astana"])


def csv_bytes(*rows: str, header: str = HEADER) -> io.BytesIO:
    return io.BytesIO("\n".join([header, *rows]).encode("utf-8"))


def xlsx_bytes(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def rejected(*rows: str, header: str = HEADER) -> list[str]:
    with pytest.raises(ImportRejected) as error:
        import_responses("small", csv_bytes(*rows, header=header), "answers.csv")
    db.session.rollback()
    assert db.session.scalar(select(func.count(Response.id))) == 0  # all or nothing
    return [str(e) for e in error.value.errors]


def test_imports_a_csv(small):
    """Every row becomes a response with its city, weight and respondent id; choices by name."""
    assert import_responses("small", csv_bytes(*GOOD_ROWS), "answers.csv") == 3
    db.session.commit()
    responses = {r.respondent_id: r for r in db.session.scalars(select(Response))}
    first = responses["p-1"]
    assert (first.city.slug, first.weight, first.source, first.language) == ("almaty", 1.5, "import", None)
    assert response_values(first) == {"booked": "yes", "booking": "4", "wifi": "dk", "uses": ["hlt", "its"],
                                      "top": ["its", "hlt"], "household": 3, "spend": Decimal("12.50"),
                                      "comment": "Works well"}
    assert responses["p-2"].city.slug == "almaty" and responses["p-2"].weight == 1
    assert responses["p-3"].city.slug == "astana"


def test_imports_an_xlsx_with_columns_in_any_case(small):
    """XLSX works the same; question columns match whatever their case."""
    data = xlsx_bytes([["Respondent_ID", "City", "BOOKED", "Booking", "Household"],
                       ["x-1", "almaty", "yes", 3, 4], ["x-2", "astana", "no", None, None]])
    assert import_responses("small", data, "answers.xlsx") == 2
    stored = db.session.scalar(select(Response).where(Response.respondent_id == "x-1"))
    assert response_values(stored) == {"booked": "yes", "booking": "3", "household": 4}


@pytest.mark.parametrize("row, error", [
    (",almaty,,no,,,,,,,", "row 2, column respondent_id: a respondent id is required"),
    ("p-9,atlantis,,no,,,,,,,", "row 2, column city: unknown city 'atlantis'"),
    ("p-9,oral,,no,,,,,,,", "row 2, column city: the questionnaire is not open in oral"),
    ("p-9,almaty,0,no,,,,,,,", "row 2, column weight: the weight must be above 0 and at most 1000000, not 0"),
    ("p-9,almaty,heavy,no,,,,,,,", "row 2, column weight: 'heavy' is not a number"),
    ("p-9,almaty,120%,no,,,,,,,", "row 2, column weight: '120%' is a percent; a weight is a plain number such as 1.2"),
    ("p-9,almaty,,maybe,,,,,,,", "row 2, column booked: “maybe” is not one of the options."),
    # a KoboToolbox export "with labels": the label is named as such, in any case and any language
    ("p-9,almaty,,да,,,,,,,", "row 2, column booked: “да” is the label of option yes; the file must give option "
                              "names, not labels"),
    ("p-9,almaty,,Yes,,,,,,,", "row 2, column booked: “Yes” is the label of option yes; the file must give option "
                               "names, not labels"),
    ("p-9,almaty,,,,,,,,,", "row 2, column booked: This question needs an answer."),
    ("p-9,almaty,,yes,,,,,,,", "row 2, column booking: This question needs an answer."),
    ("p-9,almaty,,yes,6,,,,,,", "row 2, column booking: “6” is not one of the options."),
    ("p-9,almaty,,no,,,hlt hacked,,,,", "row 2, column uses: “hacked” is not one of the options."),
    ('p-9,almaty,,no,,,"hlt,its",,,,', "row 2, column uses: “hlt,its”: separate the options with spaces (hlt its), "
                                       "not commas or semicolons"),
    ("p-9,almaty,,no,,,,its; hlt,,,", "row 2, column top: “its; hlt”: separate the options with spaces (its hlt), "
                                      "not commas or semicolons"),
    ("p-9,almaty,,no,,,,hlt edu its,,,", "row 2, column top: Choose at most 2 options."),
    ("p-9,almaty,,no,,,,its its,,,", "row 2, column top: Choose each option only once."),
    ("p-9,almaty,,no,,,,,21,,", "row 2, column household: The answer must be at most 20."),
    ("p-9,almaty,,no,,,,,2.5,,", "row 2, column household: Enter a whole number."),
    ("p-9,almaty,,no,,,,,,-3,", "row 2, column spend: The answer must be at least 0."),
    # the web would never show booking after "no"; stored, the 4 would have been dropped without a word
    ("p-9,almaty,,no,4,,,,,,", "row 2, column booking: answered, but the question does not apply to this "
                               "respondent (${booked} = 'yes' is false); leave the cell empty"),
])
def test_each_bad_cell_is_named_by_row_and_column(small, row, error):
    """A bad value is reported with its row and column, and nothing is written."""
    assert rejected(row) == [error]


def test_errors_of_several_rows_are_all_reported(small):
    """Every bad cell of the file is listed, in row order."""
    errors = rejected(GOOD_ROWS[0], "p-2,nowhere,1,no,,,,,,,", "p-3,almaty,-1,yes,9,,,,,,")
    assert errors == ["row 3, column city: unknown city 'nowhere'",
                      "row 4, column weight: the weight must be above 0 and at most 1000000, not -1",
                      "row 4, column booking: “9” is not one of the options."]


def test_an_answer_whose_condition_reads_a_refused_answer_is_not_judged(small):
    """'maybe' is refused; whether booking applies cannot be told, so only booked's error is listed."""
    assert rejected("p-9,almaty,,maybe,4,,,,,,") == ["row 2, column booked: “maybe” is not one of the options."]


def test_a_blank_weight_among_weights_is_refused(small):
    """A weighted city's figures leave out responses without a weight: a blank among weights is refused,
    while a file without any weight (blank everywhere, or no column) is imported unweighted."""
    assert rejected(GOOD_ROWS[0], "p-2,Алматы,,no,,2,,,,,") == [
        "row 3, column weight: empty while other rows have a weight; a response without one is left out of its "
        "city's weighted figures: give every row a weight, or none"]
    unweighted = [",".join([*row.split(",", 3)[:2], "", row.split(",", 3)[3]]) for row in GOOD_ROWS]
    assert import_responses("small", csv_bytes(*unweighted), "answers.csv") == 3
    assert db.session.scalars(select(Response.weight)).all() == [None, None, None]


def test_duplicate_respondent_in_the_file(small):
    """The same respondent id twice in one file is refused on the second row."""
    assert rejected(GOOD_ROWS[0], GOOD_ROWS[0]) == ["row 3, column respondent_id: 'p-1' already appears on row 2"]


def test_respondent_already_imported(small):
    """Re-importing a respondent id already stored is refused, and the earlier import stays."""
    import_responses("small", csv_bytes(GOOD_ROWS[0]), "first.csv")
    db.session.commit()
    with pytest.raises(ImportRejected) as error:
        import_responses("small", csv_bytes(GOOD_ROWS[1], GOOD_ROWS[0]), "second.csv")
    assert [str(e) for e in error.value.errors] == ["row 3, column respondent_id: 'p-1' was already imported"]
    db.session.rollback()
    assert db.session.scalar(select(func.count(Response.id))) == 1


@pytest.mark.parametrize("header, error", [
    ("city,booked", "row 1, column respondent_id: required column is missing from the header"),
    ("respondent_id,booked", "row 1, column city: required column is missing from the header"),
    ("respondent_id,city,favourite_food", "row 1, column favourite_food: not a question of questionnaire small"),
    ("respondent_id,city,welcome", "row 1, column welcome: welcome is a note and takes no answer"),
    # each row would keep only the last of the two cells
    ("respondent_id,city,booked,BOOKED", "row 1, column booked: appears 2 times in the header; keep one"),
])
def test_bad_headers(small, header, error):
    """Missing identity columns and columns that are no question are refused at the header."""
    assert rejected("p-1,almaty", header=header) == [error]


def test_empty_and_unreadable_files(small):
    """A header without rows, or a binary file, is refused with a message."""
    assert rejected(header=HEADER) == ["the file has no data rows"]
    with pytest.raises(ImportRejected, match="unreadable file"):
        import_responses("small", io.BytesIO(b"\x00\x01\x02 not a table"), "answers.csv")


def test_only_open_questionnaires_take_imports(make_questionnaire):
    """A draft (or closed) questionnaire takes no responses."""
    make_questionnaire()
    with pytest.raises(DomainError, match="is draft; responses are imported while it is open"):
        import_responses("small", csv_bytes(GOOD_ROWS[0]), "answers.csv")
    with pytest.raises(DomainError, match="no questionnaire 'nope'"):
        import_responses("nope", csv_bytes(GOOD_ROWS[0]), "answers.csv")


def test_cli_reports_rows_and_writes_nothing_on_error(small, runner, tmp_path):
    """The CLI prints each problem and exits 1; a good file is imported and counted."""
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([HEADER, GOOD_ROWS[0], "p-2,almaty,1,yes,,,,,,,"]), encoding="utf-8")
    result = runner.invoke(args=["responses", "import", str(bad), "--questionnaire", "small"])
    assert result.exit_code == 1 and "error: row 3, column booking: This question needs an answer." in result.output
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    good = tmp_path / "good.csv"
    good.write_text("\n".join([HEADER, *GOOD_ROWS]), encoding="utf-8")
    result = runner.invoke(args=["responses", "import", str(good), "--questionnaire", "small"])
    assert result.exit_code == 0 and "imported 3 responses into small" in result.output


def test_the_cli_says_how_far_an_import_got_before_it_commits(small, runner, tmp_path, monkeypatch):
    """Each chunk written is reported on stderr, inside the import's transaction: stopped on such a line
    (scripts/loadtest.py SIGKILLs it there), the import leaves nothing."""
    monkeypatch.setattr(responses_service, "IMPORT_CHUNK", 2)
    seen = []

    def stop_half_way(done: int, total: int) -> None:
        seen.append((done, total, db.session.scalar(select(func.count(Response.id)))))
        raise KeyboardInterrupt  # as a SIGKILL would, but in-process

    with pytest.raises(KeyboardInterrupt):
        import_responses("small", csv_bytes(*GOOD_ROWS), "answers.csv", progress=stop_half_way)
    db.session.rollback()
    assert seen == [(2, 3, 2)] and db.session.scalar(select(func.count(Response.id))) == 0

    good = tmp_path / "good.csv"
    good.write_text("\n".join([HEADER, *GOOD_ROWS]), encoding="utf-8")
    result = runner.invoke(args=["responses", "import", str(good), "--questionnaire", "small"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["2 of 3 rows written; none is kept until all are",
                                          "3 of 3 rows written; none is kept until all are",
                                          "imported 3 responses into small"]


def test_an_answer_inside_a_group_that_does_not_apply_is_refused(grouped):
    """The app_details group shows only to app users: a wish from a non-user names the group's condition."""
    with pytest.raises(ImportRejected) as error:
        import_responses("grouped", csv_bytes("g-1,almaty,no,,faster", header="respondent_id,city,uses_app,app_rating,"
                                                                              "app_wish"), "answers.csv")
    assert [str(e) for e in error.value.errors] == [
        "row 2, column app_wish: answered, but the question does not apply to this respondent "
        "(${uses_app} = 'yes' is false); leave the cell empty"]


def test_kobo_group_paths_name_questions(grouped):
    """KoboToolbox exports headers with the groups' path (about/uses_app): read like the bare name, and
    errors name the file's header."""
    header = "respondent_id,city,About/uses_app,about/app_rating,services/used,app_details/app_wish,final/top"
    assert import_responses("grouped", csv_bytes("k-1,almaty,yes,4,hlt,offline mode,its", header=header),
                            "kobo.csv") == 1
    assert response_values(db.session.scalar(select(Response))) == {
        "uses_app": "yes", "app_rating": "4", "used": ["hlt"], "app_wish": "offline mode", "top": ["its"]}
    with pytest.raises(ImportRejected) as error:
        import_responses("grouped", csv_bytes("k-2,almaty,yes,7,,,", header=header), "kobo.csv")
    assert [str(e) for e in error.value.errors] == [
        "row 2, column about/app_rating: “7” is not one of the options."]


@pytest.mark.parametrize("header, error", [
    ("services/uses_app", "row 1, column services/uses_app: not a question of questionnaire grouped"),
    ("about/services/wifi", "row 1, column about/services/wifi: not a question of questionnaire grouped"),
    ("meta/instanceid", "row 1, column meta/instanceid: not a question of questionnaire grouped"),
    ("uses_app,about/uses_app", "row 1, column about/uses_app: answers the same question as column uses_app"),
])
def test_a_group_path_must_be_the_questions_own(grouped, header, error):
    """Another group's path, a nested path that does not exist, Kobo's meta columns, and one question
    given twice (by name and by path) are refused at the header."""
    with pytest.raises(ImportRejected) as refused:
        import_responses("grouped", csv_bytes("k-1,almaty" + ",yes" * header.count(","), header=f"respondent_id,city,"
                                              f"{header}"), "kobo.csv")
    assert [str(e) for e in refused.value.errors] == [error]


def test_a_value_under_no_header_is_refused(small):
    """An unquoted decimal comma spills '50' past the last header; a note sits under a blank header: each
    cell is named by its column letter instead of being dropped."""
    assert rejected('p-1,almaty,1.5,yes,4,dk,hlt its,its hlt,3,12,50', header=HEADER[:-len(",comment")]) == [
        "row 2, column K: this cell has a value but its column has no header; name the column or clear the cell"]
    assert rejected("p-1,almaty,no,called back", header="respondent_id,city,booked,") == [
        "row 2, column D: this cell has a value but its column has no header; name the column or clear the cell"]


def test_header_errors_name_the_headers_row(small):
    """Blank lines above the header: a header error names the row the header is on."""
    with pytest.raises(ImportRejected) as error:
        import_responses("small", io.BytesIO(b"\n\nrespondent_id,city,favourite_food\np-1,almaty,soup\n"), "a.csv")
    assert [str(e) for e in error.value.errors] == [
        "row 3, column favourite_food: not a question of questionnaire small"]


def test_a_file_is_stored_a_chunk_of_rows_per_statement(small, monkeypatch):
    """Rows are written a chunk per statement (one at a time, 20,000 rows took 90 s on PostgreSQL), each
    response with its own answers, weight and measures."""
    monkeypatch.setattr(responses_service, "IMPORT_CHUNK", 2)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert import_responses("small", csv_bytes(*GOOD_ROWS), "answers.csv") == 3
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    # answers and measures a statement per chunk (responses too on PostgreSQL; SQLite, whose RETURNING
    # has no guaranteed order, has SQLAlchemy send those one by one)
    assert [sum(s.lstrip().startswith(f"INSERT INTO {table}") for s in statements)
            for table in ("response_answers", "response_measures")] == [2, 2]
    stored = {r.respondent_id: r for r in db.session.scalars(select(Response))}
    assert response_values(stored["p-3"]) == {"booked": "yes", "booking": "5", "uses": ["edu"], "household": 1,
                                              "spend": Decimal("0")}
    assert (stored["p-2"].weight, stored["p-3"].weight) == (1, 0.8)
    measured = db.session.execute(select(ResponseMeasure.response_id, ResponseMeasure.kind, ResponseMeasure.code)
                                  .order_by(ResponseMeasure.response_id, ResponseMeasure.kind)).all()
    assert measured == [(stored["p-1"].id, "area", "hlt"), (stored["p-1"].id, "indicator", "hlt_online_appointment"),
                        (stored["p-2"].id, "area", "ict"),
                        (stored["p-3"].id, "area", "hlt"), (stored["p-3"].id, "indicator", "hlt_online_appointment")]


def test_ids_stored_by_another_import_meanwhile_are_refused_under_the_lock(small, monkeypatch):
    """Another import stores p-1 after this one validated the file (its first read of the taken ids saw
    none): the ids are read again under the write lock, so the file is refused by row, nothing stored."""
    import_responses(small.slug, csv_bytes(GOOD_ROWS[0]), "first.csv")
    db.session.commit()
    real, calls = responses_service._taken_ids, []
    monkeypatch.setattr(responses_service, "_taken_ids",
                        lambda slug: calls.append(slug) or (set() if len(calls) == 1 else real(slug)))
    with pytest.raises(ImportRejected) as refused:
        import_responses(small.slug, csv_bytes(*GOOD_ROWS), "second.csv")
    db.session.rollback()
    assert [str(e) for e in refused.value.errors] == [
        "row 2, column respondent_id: 'p-1' was imported by someone else meanwhile; nothing was stored"]
    assert db.session.scalar(select(func.count(Response.id))) == 1


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="PostgreSQL run only: set DATABASE_URL")
def test_the_import_lock_holds_up_a_second_import_but_not_web_submits(small, database_url):
    """PostgreSQL: while one import holds its questionnaire's rows, a second import's claim waits (here: times
    out), while a web submit's insert referencing the same questionnaire goes through."""
    city_id = db.session.scalar(select(City.id).where(City.slug == "almaty"))
    db.session.commit()
    engine = create_engine(database_url)
    claim = text("UPDATE questionnaires SET definition_revision = definition_revision WHERE slug = :slug")
    try:
        with engine.connect() as first, engine.connect() as second, engine.connect() as web:
            first.execute(claim, {"slug": small.slug})  # the first import, not yet committed
            second.execute(text("SET lock_timeout = '300ms'"))
            with pytest.raises(OperationalError, match="lock timeout"):
                second.execute(claim, {"slug": small.slug})
            web.execute(text("SET lock_timeout = '2s'"))
            web.execute(insert(Response.__table__).values(questionnaire_id=small.id, city_id=city_id, source="web",
                                                          submitted_at=datetime.now(timezone.utc)))
            web.commit()
            first.rollback()
    finally:
        engine.dispose()
