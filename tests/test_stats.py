"""Perceived scores, weights and comparisons (stats.py, stats_weights.py), without Flask or a database.

Expected values are worked out by hand in the comments and written as literals, so the tests do not
re-derive them with the code under test.
"""
import math
import statistics
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from smartcity_survey.stats import (
    CONSISTENT, EXCEEDS, LAGS, NO_RESPONSES, NOT_APPLICABLE, TOO_FEW, area_gaps, indicator_check,
    perceived_area_figures, perceived_city_score, rating_to_percent, respondent_area_scores, spearman,
)
from smartcity_survey.stats_weights import normalise_margins, rake, weights_for_city
from tests.scoring_fixtures import STANDARD_2019, WORKED_AREAS


def scores_frame(values, city="ast", area="ctm", start=0) -> pd.DataFrame:
    """One respondent per value, all in one city and area."""
    return pd.DataFrame({"response_id": range(start, start + len(values)), "city": city, "area": area,
                         "score": values})


def one_figure(scores, weights=None, **kw) -> pd.Series:
    figures = perceived_area_figures(scores, weights, **kw)
    assert len(figures) == 1
    return figures.iloc[0]


# Answers -> respondent scores ----------------------------------------------------------------------

def test_rating_maps_to_quarter_steps_and_dont_know_to_nan():
    """1..5 -> 0, 25, 50, 75, 100; "dk", None and NaN are left out as NaN."""
    mapped = rating_to_percent(pd.Series([1, 2, 3, 4, 5, "dk", None, np.nan], dtype=object))
    assert mapped.iloc[:5].tolist() == [0.0, 25.0, 50.0, 75.0, 100.0]
    assert mapped.iloc[5:].isna().all()


@pytest.mark.parametrize("bad", [0, 6, 2.5])
def test_rating_outside_one_to_five_is_rejected(bad):
    """A number that is not a rating 1-5 is invalid input, not silently a don't-know."""
    with pytest.raises(ValueError, match="1-5"):
        rating_to_percent(pd.Series([3, bad]))


def test_respondent_counts_once_per_area_however_many_items():
    """Respondent 1 rates three ctm items 5 (-> 100), respondent 2 one item 1 (-> 0): mean 50, n 2."""
    answers = pd.DataFrame({"response_id": [1, 1, 1, 2], "city": "ast", "area": "ctm",
                            "value": [5, 5, 5, 1]})
    scores = respondent_area_scores(answers, carry=["city"])
    assert sorted(scores["score"]) == [0.0, 100.0]
    figure = one_figure(scores, min_n=2)
    assert figure["percent"] == 50.0 and figure["n"] == 2  # items would give 75 and 4


def test_dont_know_is_excluded_from_score_and_n():
    """Don't-know answers leave the mean; a respondent with only don't-knows in an area is not in n."""
    answers = pd.DataFrame({"response_id": [1, 1, 2, 3], "city": "ast", "area": "hlt",
                            "value": [4, "dk", 2, "dk"]})
    scores = respondent_area_scores(answers, carry=["city"])
    figure = one_figure(scores, min_n=2)
    assert figure["n"] == 2  # respondent 3 answered only "dk"
    assert figure["percent"] == 50.0  # (75 + 25) / 2; the dk would have pulled it elsewhere


# Figures: interval, suppression, clipping -------------------------------------------------------

def test_unweighted_interval_is_mean_plus_minus_1_96_s_over_root_n():
    """30 respondents, ten each at 25, 50, 75: mean 50, s² = 12500/29, half-width 7.42936."""
    values = [25.0] * 10 + [50.0] * 10 + [75.0] * 10
    figure = one_figure(scores_frame(values))
    # Σ(x - 50)² = 20 · 625 = 12500; s = √(12500 / 29) = 20.761370; 1.96 · s / √30 = 7.4293608
    assert figure["percent"] == 50.0 and figure["n"] == 30 and figure["n_eff"] == 30.0
    assert figure["ci_low"] == pytest.approx(42.5706392, abs=1e-6)
    assert figure["ci_high"] == pytest.approx(57.4293608, abs=1e-6)
    half = 1.96 * statistics.stdev(values) / math.sqrt(30)  # cross-check only
    assert figure["ci_high"] - 50 == pytest.approx(half, rel=1e-12)
    assert not figure["suppressed"]


def test_weighted_interval_uses_weighted_variance_and_kish_n():
    """x 0, 50, 100, 100 with w 1, 1, 2, 4: mean 81.25, n_eff 64/22, CI 31.886763 to 130.6 -> 100."""
    scores = scores_frame([0.0, 50.0, 100.0, 100.0])
    weights = pd.Series([1.0, 1.0, 2.0, 4.0], index=[0, 1, 2, 3])
    figure = one_figure(scores, weights, min_n=2)
    # Σw = 8, Σw² = 22, n_eff = 64/22 = 2.9090909; mean = 650/8 = 81.25
    # Σw(x - mean)² = 81.25² + 31.25² + 6 · 18.75² = 9687.5; s_w² = 9687.5 / (8 - 22/8) = 1845.2380952
    # half = 1.96 · √(1845.2380952 / 2.9090909) = 1.96 · 25.185326 = 49.363237
    assert figure["percent"] == 81.25 and figure["n"] == 4
    assert figure["n_eff"] == pytest.approx(2.9090909091, abs=1e-9)
    assert figure["ci_low"] == pytest.approx(31.886763, abs=1e-6)
    assert figure["ci_high"] == 100.0  # 130.61 clipped


def test_equal_weights_give_the_unweighted_figure():
    """Weights all 3 change nothing: the weighted formulas reduce to the plain ones."""
    values = [25.0] * 10 + [50.0] * 10 + [75.0] * 10
    plain = one_figure(scores_frame(values))
    weighted = one_figure(scores_frame(values), pd.Series(3.0, index=range(30)))
    for column in ("percent", "n", "n_eff", "ci_low", "ci_high"):
        assert weighted[column] == pytest.approx(plain[column], rel=1e-12)


def test_zero_or_missing_weight_leaves_the_respondent_out_of_n():
    """In a weighted set, weight 0 and no weight at all both drop the respondent from n and the mean."""
    scores = scores_frame([100.0, 0.0, 0.0, 50.0])
    weights = pd.Series([1.0, 0.0, 1.0], index=[0, 1, 3])  # respondent 2 has no weight
    figure = one_figure(scores, weights, min_n=2)
    assert figure["n"] == 2 and figure["percent"] == 75.0


def test_negative_weight_is_rejected():
    """A negative weight is an error, not a respondent to drop."""
    with pytest.raises(ValueError, match="negative"):
        perceived_area_figures(scores_frame([50.0]), pd.Series([-1.0], index=[0]))


@pytest.mark.parametrize(("n", "suppressed"), [(29, True), (30, False)])
def test_suppressed_below_thirty_respondents(n, suppressed):
    """29 respondents: percent and interval null; 30: shown. n is kept either way."""
    figure = one_figure(scores_frame([50.0, 100.0] * 15)[:n])
    assert figure["suppressed"] == suppressed and figure["n"] == n
    for column in ("percent", "ci_low", "ci_high"):
        assert pd.isna(figure[column]) == suppressed


def test_minimum_n_is_configurable():
    """min_n=10 shows 10 respondents and suppresses 9; a minimum below 2 is refused."""
    assert not one_figure(scores_frame([40.0, 60.0] * 5), min_n=10)["suppressed"]
    assert one_figure(scores_frame([40.0, 60.0] * 5)[:9], min_n=10)["suppressed"]
    with pytest.raises(ValueError, match="min_n"):
        perceived_area_figures(scores_frame([40.0]), min_n=1)


def test_single_respondent_is_suppressed_without_warnings():
    """n = 1 has no standard deviation: suppressed, and no RuntimeWarning escapes (warnings are errors)."""
    figure = one_figure(scores_frame([80.0]), min_n=2)
    assert figure["suppressed"] and pd.isna(figure["percent"]) and figure["n"] == 1


@pytest.mark.parametrize(("values", "low", "high"), [
    ([100.0] * 29 + [0.0], 90.133333, 100.0),  # mean 96.6667, s/√30 = √(333.33/30) = 3.3333, ± 6.5333
    ([0.0] * 29 + [100.0], 0.0, 9.866667),  # the mirror: 3.3333 - 6.5333 clipped to 0
])
def test_interval_is_clipped_to_0_100(values, low, high):
    """An interval reaching past 100 or below 0 is clipped to the scale."""
    figure = one_figure(scores_frame(values))
    assert figure["ci_low"] == pytest.approx(low, abs=1e-6)
    assert figure["ci_high"] == pytest.approx(high, abs=1e-6)


def test_figures_per_city_area_and_audience():
    """Groups are reported separately by every `by` column, in sorted order."""
    scores = pd.concat([scores_frame([75.0] * 3, city="ala").assign(audience="business"),
                        scores_frame([25.0] * 2, city="ala", start=3).assign(audience="resident"),
                        scores_frame([50.0] * 2, city="ast", start=5).assign(audience="resident")])
    figures = perceived_area_figures(scores, by=("city", "audience", "area"), min_n=2)
    assert figures[["city", "audience", "n"]].values.tolist() == [
        ["ala", "business", 3], ["ala", "resident", 2], ["ast", "resident", 2]]
    assert figures["percent"].tolist() == [75.0, 25.0, 50.0]
    together = perceived_area_figures(scores, min_n=2)
    assert together["n"].tolist() == [5, 2] and together["percent"].tolist() == [55.0, 50.0]


@pytest.mark.parametrize("groups", [3, 300])  # 3 x 3 key combinations, or 300 x 300 (the hashed path)
def test_figures_agree_with_a_plain_groupby(groups):
    """Percent and n per (city, area) equal pandas' own groupby, whichever grouping path is taken."""
    rows = 2 * groups
    scores = pd.DataFrame({"response_id": range(rows), "city": [f"c{i % groups:03d}" for i in range(rows)],
                           "area": [f"a{(i * 7) % groups:03d}" for i in range(rows)],
                           "score": [float(i % 5) * 25 for i in range(rows)]})
    figures = perceived_area_figures(scores, min_n=2)
    expected = scores.groupby(["city", "area"])["score"].agg(["mean", "size"]).reset_index()
    assert figures[["city", "area"]].values.tolist() == expected[["city", "area"]].values.tolist()
    assert figures["n"].tolist() == expected["size"].tolist()
    shown = ~figures["suppressed"]
    assert shown.any() and figures.loc[shown, "percent"].tolist() == expected.loc[shown, "mean"].tolist()


# Raking -----------------------------------------------------------------------------------------

MARGINS = pd.DataFrame({"variable": ["gender", "gender", "age", "age"],
                        "category": ["m", "f", "young", "old"], "share": [0.48, 0.52, 0.3, 0.7]})
SAMPLE = pd.DataFrame({"response_id": range(10),
                       "gender": ["m", "m", "m", "m", "m", "m", "f", "f", "f", None],
                       "age": ["young"] * 4 + ["old", "old", "young", "old", "old", "old"]})


def weighted_share(weights, column, category):
    known = column.notna().to_numpy()
    return weights[known & (column == category).to_numpy()].sum() / weights[known].sum()


def test_raking_reproduces_both_margins():
    """Two variables: weighted shares equal the margins within 1e-6, mean weight 1, converged."""
    weights, report = rake(SAMPLE, MARGINS)
    values = weights.to_numpy()
    assert report.converged and report.max_deviation <= 1e-6 and 0 < report.iterations < 100
    assert weighted_share(values, SAMPLE["gender"], "f") == pytest.approx(0.52, abs=1e-6)
    assert weighted_share(values, SAMPLE["age"], "old") == pytest.approx(0.7, abs=1e-6)
    assert values.mean() == pytest.approx(1.0, abs=1e-12)
    assert list(weights.index) == list(range(10))


def test_raking_keeps_missing_category_out_of_that_variable():
    """Respondent 9 has no gender: the gender shares are matched among the other nine, and reported."""
    weights, report = rake(SAMPLE, MARGINS)
    assert report.unmatched == {"gender": 1, "age": 0}
    assert weighted_share(weights.to_numpy(), SAMPLE["gender"], "m") == pytest.approx(0.48, abs=1e-6)


def test_raking_keeps_a_category_the_margins_lack_out_of_that_variable():
    """A respondent answering "prefer not to say" (no margin for it) is unmatched, like a missing one."""
    sample = SAMPLE.assign(gender=["m", "m", "m", "m", "m", "m", "f", "f", "f", "prefer_not"])
    weights, report = rake(sample, MARGINS)
    assert report.unmatched == {"gender": 1, "age": 0}
    assert weighted_share(weights.to_numpy(), SAMPLE["gender"], "m") == pytest.approx(0.48, abs=1e-6)


def test_raking_cap_is_honoured():
    """One woman of ten against a 50 % margin would need 5x the mean; cap 3 holds her at 3, not converged."""
    sample = pd.DataFrame({"response_id": range(10), "gender": ["f"] + ["m"] * 9})
    margins = pd.DataFrame({"variable": "gender", "category": ["m", "f"], "share": [0.5, 0.5]})
    weights, report = rake(sample, margins, cap=3.0)
    # trimmed: f = 3, the nine men share the remaining 7 -> 7/9; f's share is 3/10
    assert weights.max() == pytest.approx(3.0) and weights.mean() == pytest.approx(1.0)
    assert weights.iloc[1] == pytest.approx(7 / 9)
    assert report.capped == 1 and not report.converged and report.iterations == 100
    assert report.max_deviation == pytest.approx(0.2)


def test_raking_without_binding_cap_reaches_five_times_mean():
    """The same sample with the default cap 5: the woman's weight is exactly 5, margins met."""
    sample = pd.DataFrame({"response_id": range(10), "gender": ["f"] + ["m"] * 9})
    margins = pd.DataFrame({"variable": "gender", "category": ["m", "f"], "share": [0.5, 0.5]})
    weights, report = rake(sample, margins)
    assert weights.iloc[0] == pytest.approx(5.0) and report.converged


def test_margins_not_summing_to_one_are_rejected_naming_the_variable():
    """Age shares 0.3 + 0.6 = 0.9 are refused with the variable named; 0.995 is normalised to 1."""
    bad = MARGINS.assign(share=[0.48, 0.52, 0.3, 0.6])
    with pytest.raises(ValueError, match="'age'"):
        rake(SAMPLE, bad)
    near = normalise_margins(MARGINS.assign(share=[0.48, 0.515, 0.3, 0.7]))
    assert near["gender"].sum() == pytest.approx(1.0, abs=1e-15)
    assert near["gender"]["m"] == pytest.approx(0.48 / 0.995)


def test_margin_category_without_respondents_is_reported():
    """A district nobody in the sample lives in is listed and the other districts re-normalised."""
    sample = pd.DataFrame({"response_id": range(4), "district": ["north", "north", "south", "north"]})
    margins = pd.DataFrame({"variable": "district", "category": ["north", "south", "east"],
                            "share": [0.4, 0.4, 0.2]})
    weights, report = rake(sample, margins)
    assert report.empty_categories == (("district", "east"),) and report.converged
    assert weights.iloc[2] / weights.sum() == pytest.approx(0.5)  # south 0.4 of the 0.8 left


def test_margin_variable_missing_from_respondents_is_rejected():
    """Margins for a variable the survey does not collect are a configuration error."""
    with pytest.raises(ValueError, match="'age'"):
        rake(SAMPLE[["response_id", "gender"]], MARGINS)


def test_weighting_method_prefers_imported_then_raked_then_none():
    """Imported weight if any response has one; else raking to margins; else unweighted."""
    imported = weights_for_city(SAMPLE.assign(weight=[2.0] * 9 + [None]), MARGINS)
    assert imported.method == "imported" and imported.unweighted == 1 and imported.raking is None
    raked = weights_for_city(SAMPLE, MARGINS)
    assert raked.method == "raked" and raked.raking.converged and len(raked.weights) == 10
    none = weights_for_city(SAMPLE)
    assert none.method == "none" and none.weights is None


# Perceived score, gaps, indicators, correlation -------------------------------------------------

def city_figures(percents: dict, suppressed=(), se: float = 5.0) -> pd.DataFrame:
    """One city's figures: n 40 and standard error `se`, or n 12 and suppressed for the areas named."""
    rows = [{"area": a, "percent": np.nan if a in suppressed else float(p), "n": 12 if a in suppressed else 40,
             "se": np.nan if a in suppressed else se, "suppressed": a in suppressed} for a, p in percents.items()]
    return pd.DataFrame(rows)


def test_perceived_score_follows_the_reference_standard_steps():
    """The worked example's percents as perceived figures give C_t 72 % and level 58.24 %."""
    figures = city_figures({**WORKED_AREAS, "ict": "70"})
    result = perceived_city_score(STANDARD_2019, figures, not_applicable=["agr"])
    assert result.score.total_percent == Decimal("72")
    assert round(result.score.level_percent, 2) == Decimal("58.24")
    assert result.score.groups["additional"].percent == Decimal("37.525")
    assert result.left_out == {"priority": {}, "additional": {"agr": NOT_APPLICABLE}, "ict": {}}


def test_a_suppressed_area_leaves_its_group_average_as_in_step_3():
    """scy below min n has no perceived S: the priority group averages the other five, and says so."""
    figures = city_figures({**WORKED_AREAS, "ict": "70"}, suppressed=["scy"])
    result = perceived_city_score(STANDARD_2019, figures, not_applicable=["agr"])
    priority = result.score.groups["priority"]
    assert priority.percent == Decimal("327.2") / 5 and priority.points == 4  # 65.44 → 65
    assert priority.areas_counted == ["ctm", "hlt", "edu", "hcs", "its"]
    assert result.left_out["priority"] == {"scy": TOO_FEW} and result.left_out["ict"] == {}
    assert result.score.total_percent == Decimal("72")
    assert result.score.level_percent == (Decimal("65.44") + Decimal("37.525") + Decimal("70")) / 3


def test_an_area_without_respondents_leaves_its_group_and_a_group_without_areas_leaves_the_total():
    """agr absent (not n/a): additional averages four areas; no ICT figure at all: C_t over the other two."""
    percents = {a: p for a, p in WORKED_AREAS.items() if a != "ict"}
    result = perceived_city_score(STANDARD_2019, city_figures(percents))
    assert result.left_out["additional"] == {"agr": NO_RESPONSES} and result.left_out["ict"] == {"ict": NO_RESPONSES}
    assert result.score.groups["additional"].percent == Decimal("37.525") and result.score.groups["ict"].percent is None
    assert result.score.total_points == 10 and result.score.max_points == 15  # (4·2 + 2·1) / (5·2 + 5·1)
    assert "ict" not in result.groups and result.total.n is None


def test_group_level_and_total_intervals_and_respondent_counts():
    """Every area's standard error 5: a group's interval is its percent ± 1.96 · 5 (the mean of its areas'
    errors), the level's too; C_t's interval is C_t at the groups' ends. n counts respondents once."""
    respondents = {frozenset({"ctm", "hlt"}): 10, frozenset({"ict"}): 5, frozenset({"edu", "ict"}): 3,
                   frozenset({"soc"}): 7}
    result = perceived_city_score(STANDARD_2019, city_figures({**WORKED_AREAS, "ict": "70"}), ["agr"], respondents)
    priority = result.groups["priority"]
    assert priority.n == 13 and (priority.low, priority.high) == (pytest.approx(67.2 - 9.8), pytest.approx(67.2 + 9.8))
    assert result.groups["additional"].n == 7 and result.groups["ict"].n == 8
    assert result.level.n == 25 and result.level.low == pytest.approx(float(result.score.level_percent) - 9.8)
    # lows 57.4 / 27.725 / 60.2 → 3 / 2 / 3 points → (6 + 2 + 6) / 25; highs 77.0 / 47.325 / 79.8 → 4 / 3 / 4
    assert (result.total.n, result.total.low, result.total.high) == (25, 56.0, 76.0)


def test_group_intervals_stay_within_0_and_100():
    result = perceived_city_score(STANDARD_2019, city_figures({"ctm": "99", "ict": "1"}, se=10.0))
    assert (result.groups["priority"].high, result.groups["ict"].low) == (100.0, 0.0)


def gap_figures() -> pd.DataFrame:
    return pd.DataFrame({"area": ["ctm", "hlt", "edu", "scy", "hcs", "its"],
                         "percent": [50.0, 50.0, 50.0, 50.0, 54.1, np.nan],
                         "ci_low": [45.0, 45.0, 20.0, 45.0, 50.0, np.nan],
                         "ci_high": [55.0, 55.0, 80.0, 55.0, 58.0, np.nan],
                         "suppressed": [False, False, False, False, False, True]})


def test_gap_flags():
    """Above the interval and ≥ 10 points: lags; mirror: exceeds; inside a wide interval: consistent."""
    gaps = area_gaps({"ctm": 70.0, "hlt": 30.0, "edu": 75.0, "scy": 52.0}, gap_figures())
    assert gaps["ctm"].gap == 20.0 and gaps["ctm"].flag == LAGS
    assert gaps["hlt"].gap == -20.0 and gaps["hlt"].flag == EXCEEDS
    assert gaps["edu"].flag == CONSISTENT  # 25 points but inside 20-80
    assert gaps["scy"].flag == CONSISTENT


def test_gap_threshold_boundary_is_inclusive_and_float_safe():
    """Exactly 10 points flags; 9.9 does not; 64.1 - 54.1 (9.999999999999993 in floats) counts as 10."""
    figures = gap_figures()
    gaps = area_gaps({"ctm": 60.0, "hlt": 59.9, "hcs": 64.1}, figures)
    assert gaps["ctm"].flag == LAGS and gaps["hlt"].flag == CONSISTENT
    assert gaps["hcs"].gap == 10.0 and gaps["hcs"].flag == LAGS
    assert area_gaps({"ctm": 60.0}, figures, threshold=10.5)["ctm"].flag == CONSISTENT


def test_gap_is_null_when_a_side_is_missing_or_suppressed():
    """No official value, no perceived figure, or a suppressed one: no gap, no flag."""
    gaps = area_gaps({"ctm": None, "its": 80.0, "agr": 50.0}, gap_figures())
    assert gaps["ctm"].flag is None and gaps["ctm"].perceived == 50.0
    assert gaps["its"].perceived is None and gaps["its"].gap is None and gaps["its"].flag is None
    assert gaps["agr"].flag is None
    assert gaps["hlt"].official is None and gaps["hlt"].flag is None  # perceived-only areas listed too


def test_indicator_check_shares_of_users_rating_four_or_five():
    """Ratings 5, 4, 3, dk: 2 of 3 positive; yes/no 1, 0: 50 %; non-users are left out."""
    answers = pd.DataFrame({
        "response_id": [1, 2, 3, 4, 5, 1, 2, 6],
        "indicator": ["hlt_3"] * 5 + ["edu_1"] * 3,
        "kind": ["rating"] * 5 + ["yes_no"] * 3,
        "value": [5, 4, 3, "dk", 5, 1, 0, 1],
        "used": [True, True, True, True, False, True, True, None],
    })
    result = indicator_check({"hlt_3": 100.0, "edu_1": 100.0, "ict_2": 0.0}, answers, min_n=2)
    rows = result.set_index("indicator")
    assert rows.at["hlt_3", "n"] == 3 and rows.at["hlt_3", "share"] == pytest.approx(200 / 3)
    assert rows.at["edu_1", "n"] == 2 and rows.at["edu_1", "share"] == 50.0
    assert rows.at["hlt_3", "official"] == 100.0
    assert rows.at["ict_2", "n"] == 0 and rows.at["ict_2", "suppressed"]
    assert indicator_check({}, answers)["suppressed"].all()  # default min n 30


def test_spearman_with_ties_uses_average_ranks():
    """x 1, 2, 2, 3, 4 against y 1, 3, 2, 4, 4: ranks (1, 2.5, 2.5, 4, 5) and (1, 3, 2, 4.5, 4.5) -> 18/19."""
    # centred ranks: dx -2, -.5, -.5, 1, 2; dy -2, 0, -1, 1.5, 1.5; Σdxdy 9; Σdx² = Σdy² = 9.5
    pairs = [(1, 1), (2, 3), (Decimal(2), 2), (3, 4.0), (4, 4)]
    assert spearman(pairs) == pytest.approx(18 / 19, abs=1e-12)
    assert spearman([(1, 3), (2, 2), (3, 1)]) == pytest.approx(-1.0)


def test_spearman_needs_three_cities_with_both_scores():
    """Cities missing either side are skipped; under 3 cities or a constant side give None."""
    assert spearman([(1, 2), (2, 3), (3, None), (None, 4)]) is None
    assert spearman([]) is None
    assert spearman([(1, 5), (2, 5), (3, 5)]) is None


def test_figures_from_moments_match_the_two_pass_figures():
    """Sums computed elsewhere (SQL) give the same figures as the respondent-level path, weighted or not."""
    import numpy as np
    import pandas as pd

    from smartcity_survey.stats import figures_from_moments, perceived_area_figures

    rng = np.random.default_rng(7)
    scores = pd.DataFrame({"response_id": np.arange(400), "city": rng.choice(["a", "b"], 400),
                           "area": rng.choice(["ctm", "hlt", "edu"], 400),
                           "score": rng.choice([0.0, 25.0, 50.0, 75.0, 100.0], 400)})
    weights = pd.Series(rng.uniform(0.2, 3.0, 400), index=scores["response_id"])
    for w in (None, weights):
        expected = perceived_area_figures(scores, w, min_n=30)
        ww = np.ones(400) if w is None else weights.to_numpy()
        x = scores["score"].to_numpy()
        moments = (scores.assign(n=1, sum_w=ww, sum_ww=ww * ww, sum_wx=ww * x, sum_wxx=ww * x * x)
                   .groupby(["city", "area"], as_index=False)[["n", "sum_w", "sum_ww", "sum_wx", "sum_wxx"]].sum())
        got = figures_from_moments(moments, min_n=30)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, atol=1e-9, rtol=1e-9)
