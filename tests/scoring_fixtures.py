"""Plain-data builders for the worked example of reference-standard.md, shared by the tests."""
from decimal import Decimal

from smartcity_survey.scoring import GroupSpec, IndicatorSpec, PointsBand, Reading, StandardSpec

AREAS = {"ctm": "priority", "hlt": "priority", "edu": "priority", "scy": "priority", "hcs": "priority",
         "its": "priority", "soc": "additional", "eco": "additional", "btd": "additional",
         "bld": "additional", "agr": "additional", "ict": "ict"}
STANDARD_2019 = StandardSpec(
    groups=(GroupSpec("priority", Decimal(2), 1), GroupSpec("additional", Decimal(1), 3),
            GroupSpec("ict", Decimal(2), 2)),
    area_groups=AREAS,
    points_table=(PointsBand(0, 20, 1), PointsBand(21, 40, 2), PointsBand(41, 60, 3),
                  PointsBand(61, 80, 4), PointsBand(81, 100, 5)),
)
#: the worked example's area percents (agriculture not applicable)
WORKED_AREAS = {"ctm": "95.4", "hlt": "77.7", "edu": "100", "scy": "76.0", "hcs": "2.2", "its": "51.9",
                "soc": "40.0", "eco": "20.5", "btd": "29.6", "bld": "60.0"}
WORKED_ICT = ["100", "100", "0", "50", "100"]


def worked_example() -> tuple[list[IndicatorSpec], dict[str, Reading]]:
    """One percent indicator per area carrying the area's S, agr n/a, and the five ICT indicators."""
    indicators, readings = [], {}
    for area, percent in WORKED_AREAS.items():
        indicators.append(IndicatorSpec(f"{area}_1", area, "percent"))
        readings[f"{area}_1"] = Reading(Decimal(percent))
    indicators.append(IndicatorSpec("agr_1", "agr", "percent"))
    readings["agr_1"] = Reading(not_applicable=True)
    for i, percent in enumerate(WORKED_ICT):
        indicators.append(IndicatorSpec(f"ict_{i}", "ict", "percent"))
        readings[f"ict_{i}"] = Reading(Decimal(percent))
    return indicators, readings
