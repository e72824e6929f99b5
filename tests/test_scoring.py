"""The scoring engine against reference-standard.md, without Flask or a database."""
from decimal import Decimal

import pytest

from smartcity_survey.scoring import (
    IndicatorSpec, Reading, ScoringError, indicator_percent, points_for, rank_cities, score_city,
    score_from_area_percents, total_percent, whole_percent,
)
from tests.scoring_fixtures import STANDARD_2019, WORKED_AREAS, worked_example

D = Decimal
#: 20.5 computed in binary floating point: (19.2 + 19.4 + 22.9) / 3 == 20.499999999999996
FLOAT_MEAN = (19.2 + 19.4 + 22.9) / 3


def test_worked_example_step_by_step():
    """The public worked example: S_pa 67.2 -> 8, S_add 37.525 -> 2, S_ict 70 -> 8, C_t 72 %, level 58.24 %."""
    indicators, readings = worked_example()
    score = score_city(STANDARD_2019, indicators, readings)
    priority, additional, ict = (score.groups[g] for g in ("priority", "additional", "ict"))
    assert priority.percent == D("67.2") and priority.rounded == 67 and priority.points == 4
    assert priority.weighted_points == 8
    assert additional.percent == D("37.525") and additional.rounded == 38 and additional.points == 2
    assert additional.weighted_points == 2 and additional.areas_counted == ["soc", "eco", "btd", "bld"]
    assert ict.percent == D("70") and ict.points == 4 and ict.weighted_points == 8
    assert score.total_points == 18 and score.max_points == 25
    assert score.total_percent == D("72")
    assert round(score.level_percent, 2) == D("58.24")
    assert score.areas["agr"].percent is None and score.areas["agr"].not_applicable == 1


@pytest.mark.parametrize("percent, rounded, points", [
    ("20", 20, 1), ("20.49", 20, 1), ("20.5", 21, 2), ("40.4999", 40, 2), ("40.5", 41, 3),
    ("60.5", 61, 4), ("80.4", 80, 4), ("80.5", 81, 5), ("100", 100, 5), ("0", 0, 1),
])
def test_points_boundaries_round_half_up(percent, rounded, points):
    """Whole-percent rounding is half-up (20.5 -> 21), never banker's, at every band boundary."""
    assert points_for(D(percent), STANDARD_2019.points_table) == (rounded, points)


def test_mean_of_20_and_21_is_exactly_20_5_and_earns_2_points():
    """The spec's example: the mean of 20 and 21 is 20.5 and earns 2 points."""
    score = score_from_area_percents(STANDARD_2019, {"ict": (D(20) + D(21)) / 2})
    assert score.groups["ict"].rounded == 21 and score.groups["ict"].points == 2


def test_mean_that_is_20_5_only_up_to_noise_still_earns_2_points():
    """Recurring decimals (100*0.2/3 and 100*1.03/3) average to 20.5 only up to the last digit."""
    indicators = [IndicatorSpec("a", "ict", "numeric", D(3), "higher"),
                  IndicatorSpec("b", "ict", "numeric", D(3), "higher")]
    readings = {"a": Reading(D("0.2")), "b": Reading(D("1.03"))}
    score = score_city(STANDARD_2019, indicators, readings)
    assert abs(score.groups["ict"].percent - D("20.5")) < D("1e-20")
    assert score.groups["ict"].points == 2
    # the same with binary floating point noise, as a float mean would give it
    assert whole_percent(D(repr((20.1 + 20.9) / 2 - 1e-12))) == 21
    assert FLOAT_MEAN < 20.5
    assert whole_percent(D(repr(FLOAT_MEAN))) == 21


def test_float_noise_below_half_does_not_round_up():
    """Noise absorption is limited to 9 decimals: 20.4999999 stays 20."""
    assert whole_percent(D("20.4999999")) == 20
    assert whole_percent(D("20.4999999999999")) == 21


@pytest.mark.parametrize("method, value, target, direction, expected", [
    ("yes_no", "1", None, None, "100"), ("yes_no", "0", None, None, "0"),
    ("percent", "95.4", None, None, "95.4"), ("percent", "0", None, None, "0"),
    ("numeric", "5", "10", "higher", "50"), ("numeric", "20", "10", "higher", "100"),
    ("numeric", "0", "10", "higher", "0"),
    ("numeric", "0", "10", "lower", "100"), ("numeric", "20", "10", "lower", "50"),
    ("numeric", "5", "10", "lower", "100"), ("numeric", "40", "10", "lower", "25"),
])
def test_indicator_percent_by_method(method, value, target, direction, expected):
    """Step 1: yes/no 100/0, percent as is, numeric against its target in either direction, capped at 100."""
    spec = IndicatorSpec("x", "ict", method, None if target is None else D(target), direction)
    assert indicator_percent(spec, D(value)) == D(expected)


@pytest.mark.parametrize("method, value", [("percent", "100.1"), ("percent", "-1"), ("yes_no", "2"),
                                           ("numeric", "-3"), ("percent", "NaN"), ("numeric", "Infinity"),
                                           ("yes_no", "NaN")])
def test_invalid_values_are_refused(method, value):
    """A percent outside 0-100, a yes/no other than 1/0, a negative count and a value that is no finite
    number are invalid input (a ScoringError, never Decimal's own InvalidOperation)."""
    spec = IndicatorSpec("x", "ict", method, D(10) if method == "numeric" else None, "higher")
    with pytest.raises(ScoringError):
        indicator_percent(spec, D(value))


def test_not_reported_counts_as_zero_and_is_shown():
    """A missing value is I = 0 and is counted as not reported, so a gap never raises a score."""
    indicators = [IndicatorSpec("a", "edu", "percent"), IndicatorSpec("b", "edu", "percent")]
    score = score_city(STANDARD_2019, indicators, {"a": Reading(D(80))})
    area = score.areas["edu"]
    assert area.percent == D(40) and area.indicators == 2 and area.not_reported == 1
    assert [item.status for item in area.items] == ["reported", "not_reported"]


def test_not_applicable_indicator_leaves_the_area_average():
    """An n/a indicator leaves the mean entirely (N shrinks)."""
    indicators = [IndicatorSpec("a", "edu", "percent"), IndicatorSpec("b", "edu", "yes_no")]
    score = score_city(STANDARD_2019, indicators, {"a": Reading(D(80)), "b": Reading(not_applicable=True)})
    assert score.areas["edu"].percent == D(80) and score.areas["edu"].indicators == 1


def test_area_without_applicable_indicator_leaves_its_group():
    """Agriculture n/a: the additional group divides by 4, not 5."""
    score = score_from_area_percents(STANDARD_2019, {**{a: D(p) for a, p in WORKED_AREAS.items()},
                                                     "agr": None, "ict": D(70)})
    assert score.groups["additional"].percent == D("37.525")


def test_whole_group_not_applicable_leaves_the_total():
    """Every additional area n/a: C_t is points over the maximum of the groups present (20)."""
    percents = {a: D(p) for a, p in WORKED_AREAS.items() if STANDARD_2019.area_groups[a] == "priority"}
    score = score_from_area_percents(STANDARD_2019, {**percents, "ict": D(70)})
    assert score.groups["additional"].percent is None and score.groups["additional"].points is None
    assert score.total_points == 16 and score.max_points == 20 and score.total_percent == D(80)
    assert score.level_percent == (D("67.2") + D(70)) / 2


def test_an_area_without_a_percent_leaves_its_group_average():
    """Step 3 for percents from elsewhere (perceived): hlt has none, so the priority group is ctm alone."""
    score = score_from_area_percents(STANDARD_2019, {"ctm": D(50), "hlt": None, "ict": D(70)})
    assert score.groups["priority"].percent == D(50) and score.groups["priority"].areas_counted == ["ctm"]
    assert score.total_percent == D(70) and score.level_percent == D(60)  # (3·2 + 4·2) / 20


def test_total_percent_from_group_percents_alone():
    assert total_percent(STANDARD_2019, {"priority": D("67.2"), "additional": D("37.525"), "ict": D(70)}) == D(72)
    assert total_percent(STANDARD_2019, {"priority": D("20.5"), "ict": D(70)}) == D(60)  # (2·2 + 4·2) / 20
    assert total_percent(STANDARD_2019, {}) is None


def _city(priority: str, additional: str, ict: str):
    percents = {a: D(priority) for a in ("ctm", "hlt", "edu", "scy", "hcs", "its")}
    percents |= {a: D(additional) for a in ("soc", "eco", "btd", "bld", "agr")} | {"ict": D(ict)}
    return score_from_area_percents(STANDARD_2019, percents)


def test_ranks_tie_break_by_priority_then_ict_then_additional():
    """Equal C_t: S_pa decides, then S_ict, then S_add."""
    scores = {"a": _city("65", "90", "65"), "b": _city("70", "25", "65"),   # both 4,5,4 -> vs 4,2,4
              "c": _city("65", "90", "70"), "d": _city("65", "95", "65")}
    # a, c, d: 8+5+8=21 points; b: 8+2+8=18
    ranked = rank_cities(STANDARD_2019, scores, {k: k for k in scores})
    assert ranked == [(1, "c"), (2, "d"), (3, "a"), (4, "b")]


def test_equal_on_every_key_share_a_rank_and_the_next_skips():
    """Cities equal on C_t, S_pa, S_ict and S_add share a rank: 1, 2, 2, 4; ties list by name."""
    scores = {"zeta": _city("65", "50", "65"), "beta": _city("90", "90", "90"),
              "alpha": _city("65", "50", "65"), "gamma": _city("30", "30", "30")}
    ranked = rank_cities(STANDARD_2019, scores, {k: k.title() for k in scores})
    assert ranked == [(1, "beta"), (2, "alpha"), (2, "zeta"), (4, "gamma")]
