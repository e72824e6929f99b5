"""Raw response exports: CSV (BOM, formulas neutralised), XLSX and SPSS .sav (values, value labels,
user-missing "don't know", per-choice variables, valid names), through the admin download route."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pyreadstat
import pytest
from openpyxl import load_workbook

from smartcity_survey.extensions import db
from smartcity_survey import questionnaire_spec as spec
from smartcity_survey.io.responses_sav import choice_codes, spss_names
from smartcity_survey.models import AdminAction
from smartcity_survey.services.responses import store_response, submit_response
from tests.helpers_assessments import signed_in
from tests.helpers_questionnaires import add_questionnaire, city
from tests.xlsform_helpers import CHOICES_HEADER, RATING_CHOICES, xlsform

Q = "/admin/questionnaires/small/1"
HEADER = ["response_id", "questionnaire", "version", "city", "submitted_at", "source", "language", "weight",
          "booked", "booking", "wifi", "uses", "top", "household", "spend", "comment"]
HELLO = "Привет, мир"


@pytest.fixture
def answered(people):
    """'small' open in Almaty and Astana with a full web answer and a short imported one (weight 2.5)."""
    questionnaire = add_questionnaire(open_in=["almaty", "astana"])
    first = submit_response(questionnaire, city("almaty"), {
        "booked": "yes", "booking": "dk", "wifi": "4", "uses": ["hlt", "its"], "top": ["its", "hlt"],
        "household": "3", "spend": "12.5", "comment": "=1+1"}, language="ru")
    second = store_response(questionnaire, city("astana"), {"booked": "no", "wifi": "1", "comment": HELLO},
                            source="import", respondent_id="R-SECRET", weight=2.5)
    db.session.commit()
    return first.id, second


def download(app, people, file_format: str, lang: str = "en") -> bytes:
    response = signed_in(app, people["admin"]).get(f"{Q}/responses.{file_format}?lang={lang}")
    assert response.status_code == 200
    assert f"responses-small-v1.{file_format}" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    if file_format == "csv":
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return response.data


def read_sav(tmp_path, data: bytes, **options):
    path = tmp_path / "responses.sav"
    path.write_bytes(data)
    return pyreadstat.read_sav(str(path), **options)


def test_csv_has_one_row_per_response_in_xlsform_conventions(app, people, answered):
    """CSV with BOM: fixed columns, then one per question; lists space-separated; dk kept; formulas
    neutralised; no respondent id; the download is logged."""
    data = download(app, people, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADER and len(rows) == 3
    first, second = (dict(zip(HEADER, row)) for row in rows[1:])
    assert {k: first[k] for k in HEADER[8:]} == {
        "booked": "yes", "booking": "dk", "wifi": "4", "uses": "hlt its", "top": "its hlt", "household": "3",
        "spend": "12.5", "comment": "'=1+1"}
    assert (first["response_id"], first["questionnaire"], first["version"], first["city"]) == \
        (str(answered[0]), "small", "1", "almaty")
    assert (first["source"], first["language"], first["weight"]) == ("web", "ru", "1.0")
    assert first["submitted_at"].endswith("+00:00") and first["submitted_at"][10] == "T"
    assert (second["source"], second["weight"], second["uses"], second["comment"]) == ("import", "2.5", "", HELLO)
    assert "R-SECRET" not in data.decode("utf-8-sig")
    assert db.session.scalar(db.select(AdminAction.detail)) == "small version 1: csv"


def test_xlsx_opens_with_numbers_as_numbers(app, people, answered):
    """XLSX: the same table; ratings, integers and decimals are numbers, dk stays text."""
    sheet = load_workbook(io.BytesIO(download(app, people, "xlsx"))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER and len(rows) == 3
    first = dict(zip(HEADER, rows[1]))
    assert (first["booking"], first["wifi"], first["household"], first["spend"]) == ("dk", 4, 3, 12.5)
    assert (first["uses"], first["comment"], first["weight"]) == ("hlt its", "'=1+1", 1)
    assert dict(zip(HEADER, rows[2]))["household"] is None


def test_sav_values_value_labels_and_missing_dont_know(app, people, answered, tmp_path):
    """SPSS: codes with value labels, dk as user-missing 99, 0/1 per choice, rank per choice, numbers, text."""
    frame, meta = read_sav(tmp_path, download(app, people, "sav"), user_missing=True)
    assert list(frame.columns) == HEADER[:11] + ["uses__hlt", "uses__edu", "uses__its", "top__hlt", "top__edu",
                                                "top__its", "household", "spend", "comment"]
    first, second = frame.iloc[0], frame.iloc[1]
    assert (first["booked"], first["booking"], first["wifi"], second["booked"]) == (1, 99, 4, 2)
    assert [first[f"uses__{c}"] for c in ("hlt", "edu", "its")] == [1, 0, 1]
    assert (first["top__its"], first["top__hlt"]) == (1, 2) and frame["top__edu"].isna().all()
    assert second[["uses__hlt", "top__hlt", "household"]].isna().all()
    assert (first["household"], first["spend"], first["comment"], second["comment"]) == (3, 12.5, "=1+1", HELLO)
    assert (first["city"], second["source"], second["weight"], first["weight"]) == ("almaty", "import", 2.5, 1)
    labels = meta.variable_value_labels
    assert labels["booked"] == {1: "Yes", 2: "No"} and labels["uses__edu"] == {0: "not chosen", 1: "chosen"}
    assert labels["booking"] == {1: "1 en", 2: "2 en", 3: "3 en", 4: "4 en", 5: "5 en", 99: "Don't know"}
    assert meta.missing_ranges["booking"] == [{"lo": 99.0, "hi": 99.0}] and "booked" not in meta.missing_ranges
    assert meta.column_names_to_labels["top__its"] == "Priorities: Transport (rank)"
    assert meta.column_names_to_labels["submitted_at"] == "Submitted (UTC)"
    plain, _meta = read_sav(tmp_path, download(app, people, "sav"))  # SPSS's own view: dk is missing
    assert plain["booking"].isna().all()


def test_sav_labels_follow_the_page_language(app, people, answered, tmp_path):
    """Downloaded in Russian, question and choice labels are the questionnaire's Russian texts."""
    _frame, meta = read_sav(tmp_path, download(app, people, "sav", lang="ru"))
    assert meta.column_names_to_labels["booked"] == "Записывались онлайн?"
    assert meta.variable_value_labels["booked"] == {1: "Да", 2: "Нет"}
    assert meta.variable_value_labels["wifi"][99] == "Не знаю"


def test_question_names_clashing_or_invalid_in_spss_are_renamed_with_the_mapping_in_labels(app, people, tmp_path):
    """A question named like a fixed column is 'q:<name>' in CSV; SPSS names are made valid and unique,
    and a renamed variable's label starts with its original column name."""
    form = xlsform([["type", "name", "label::English (en)"], ["text", "city", "Home town"],
                    ["select_one rate", "with", "Rate"], ["integer", "a.b-c", "Count"]],
                   [CHOICES_HEADER[:3], *[r[:3] for r in RATING_CHOICES]], [["form_id"], ["small"]])
    questionnaire = add_questionnaire(form, ["almaty"])
    submit_response(questionnaire, city("almaty"), {"city": "Kosshy", "with": "5", "a.b-c": "7"}, language="en")
    db.session.commit()
    header = next(csv.reader(io.StringIO(download(app, people, "csv").decode("utf-8-sig"))))
    assert header[8:] == ["q:city", "with", "a.b-c"]
    frame, meta = read_sav(tmp_path, download(app, people, "sav"))
    assert list(frame.columns)[8:] == ["q_city", "with_", "a_b_c"]
    assert [meta.column_names_to_labels[n] for n in ("q_city", "with_", "a_b_c")] == \
        ["q:city: Home town", "with: Rate", "a.b-c: Count"]
    assert frame.iloc[0][["q_city", "with_", "a_b_c"]].tolist() == ["Kosshy", 5, 7]


def test_spss_names_are_valid_and_unique():
    """Letters first, ASCII word characters only, at most 64 bytes, no reserved word, unique ignoring case."""
    names = spss_names(["ok", "OK", "1st", "имя", "to", "x" * 70, "X" * 70, "x" * 62 + "_2"])
    assert names[:5] == ["ok", "OK_2", "v1st", "v___", "to_"]
    assert len(names[5]) == len(names[6]) == 64 and names[6].endswith("_2") and names[7] == "x" * 62 + "_3"
    assert len({n.lower() for n in names}) == len(names)


def test_single_choice_codes_are_the_names_only_when_they_are_distinct_numbers():
    """Whole-number choice names are their own codes; otherwise (or when two would collide) positions."""
    def codes(*names):
        return choice_codes([spec.ChoiceDef("l", name, {}) for name in names])

    assert codes("1", "2", "5") == {"1": 1, "2": 2, "5": 5}
    assert codes("yes", "no") == {"yes": 1, "no": 2}
    assert codes("1", "01") == {"1": 1, "01": 2}


def test_an_empty_questionnaire_exports_headers_and_a_valid_sav(app, people, tmp_path):
    """Without responses every format still downloads: the header row, and an SPSS file with 0 cases."""
    add_questionnaire()
    db.session.commit()
    assert download(app, people, "csv").decode("utf-8-sig").splitlines() == [",".join(HEADER)]
    frame, meta = read_sav(tmp_path, download(app, people, "sav"))
    assert len(frame) == 0 and "uses__hlt" in frame.columns and meta.variable_value_labels["wifi"][5] == "5 en"


@pytest.mark.parametrize("file_format", ["pdf", "sav.exe"])
def test_unknown_formats_are_not_found(app, people, answered, file_format):
    """Only csv, xlsx and sav exist."""
    assert signed_in(app, people["admin"]).get(f"{Q}/responses.{file_format}").status_code == 404
    assert db.session.scalar(db.select(db.func.count(AdminAction.id))) == 0


def test_decimal_cells_keep_the_digits_as_entered(app, people):
    """A decimal answer is written as entered (12.50 stays 12.50 in CSV), not through a float."""
    questionnaire = add_questionnaire(open_in=["almaty"])
    submit_response(questionnaire, city("almaty"), {"booked": "no", "spend": "12.50"}, language="en")
    db.session.commit()
    rows = list(csv.reader(io.StringIO(download(app, people, "csv").decode("utf-8-sig"))))
    assert dict(zip(HEADER, rows[1]))["spend"] == str(Decimal("12.50"))
