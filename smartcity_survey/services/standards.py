"""Create and update standard versions, their groups, areas and indicator catalogue."""
from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..io.catalogue import AreaRow, IndicatorRow, parse_areas, parse_catalogue
from ..io.tables import RowError, Table, UnreadableFile, read_table
from ..models import Area, AreaGroup, AssessmentYear, Indicator, IndicatorValue, StandardVersion
from ..models._common import utcnow
from . import DomainError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUNDLED_YEAR = 2019
#: weights of the 2019 groups, used when an areas file names these groups without a weight column
DEFAULT_WEIGHTS = {"priority": Decimal(2), "additional": Decimal(1), "ict": Decimal(2)}


class ImportRejected(DomainError):
    """A file failed validation; errors lists every bad row. Nothing was written."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def standard_for_year(year: int) -> StandardVersion | None:
    """The version in force for an assessment year: the latest one whose year is not after it."""
    return db.session.scalars(
        select(StandardVersion).where(StandardVersion.year <= year)
        .order_by(StandardVersion.year.desc()).limit(1)).first()


def ensure_assessment_year(year: int) -> AssessmentYear:
    existing = db.session.scalar(select(AssessmentYear).where(AssessmentYear.year == year))
    if existing:
        return existing
    standard = standard_for_year(year)
    if standard is None:
        raise DomainError(_("no standard version covers %(year)s; load one with "
                            "`flask standard load --year %(year)s`", year=year))
    assessment = AssessmentYear(year=year, standard=standard)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def load_bundled_standard() -> StandardVersion:
    """The 2019 standard shipped with the project. Idempotent; never overwrites an official list."""
    folder = DATA_DIR / "standards" / str(BUNDLED_YEAR)
    meta = json.loads((folder / "standard.json").read_text(encoding="utf-8"))
    existing = db.session.scalar(select(StandardVersion).where(StandardVersion.year == BUNDLED_YEAR))
    if existing is not None and existing.is_official_catalogue:
        return existing
    areas, area_errors = parse_areas(read_table(folder / "areas.csv"))
    indicators, errors = parse_catalogue(read_table(folder / "indicators.csv"), {a.code for a in areas})
    if area_errors or errors:  # a packaging bug, not user input
        raise ImportRejected(area_errors + errors)
    return save_standard(BUNDLED_YEAR, areas, indicators, groups_meta=meta["groups"],
                         points_table=meta["points_table"], title=meta["title"],
                         catalogue_source=meta["catalogue_source"], official=False)


def load_catalogue_files(year: int, catalogue_path: Path, areas_path: Path | None = None,
                         source_label: str = "") -> StandardVersion:
    """`flask standard load`: a catalogue (and optionally areas) for a year, all or nothing."""
    base = standard_for_year(year)
    if areas_path is not None:
        areas, errors = parse_areas(read_or_reject(areas_path))
        if errors:
            raise ImportRejected([_in_file(areas_path, e) for e in errors])
        groups_meta = _groups_from_areas(areas, base)
    elif base is not None:
        areas = [AreaRow(a.code, a.group.code, a.name_en, a.name_ru, a.name_kk, None) for a in base.areas]
        groups_meta = [_group_meta(g) for g in base.groups]
    else:
        raise DomainError(_("no standard covers %(year)s; give its areas with --areas", year=year))
    indicators, errors = parse_catalogue(read_or_reject(catalogue_path), {a.code for a in areas})
    if errors:
        raise ImportRejected([_in_file(catalogue_path, e) for e in errors])
    points = base.points_table if base is not None else _bundled_points()
    title = base.title if base is not None and base.year == year else f"Reference standard {year}"
    return save_standard(year, areas, indicators, groups_meta=groups_meta, points_table=points, title=title,
                         catalogue_source=source_label or f"loaded from {catalogue_path.name}", official=True)


def _in_file(path: Path, error: RowError) -> RowError:
    return RowError(error.row, error.column, f"{error.message} [{path.name}]")


def read_or_reject(path: Path) -> Table:
    """read_table for a command's file: one that cannot be read is refused like a bad row, by its name."""
    try:
        return read_table(path)
    except UnreadableFile as exc:
        raise ImportRejected([_in_file(path, RowError(None, None, _("unreadable file: %(reason)s",
                                                                    reason=exc)))]) from exc


def _bundled_points() -> list:
    meta = json.loads((DATA_DIR / "standards" / str(BUNDLED_YEAR) / "standard.json").read_text("utf-8"))
    return meta["points_table"]


def _group_meta(group: AreaGroup) -> dict:
    return {"code": group.code, "weight": group.weight, "tiebreak_rank": group.tiebreak_rank,
            "name_en": group.name_en, "name_ru": group.name_ru, "name_kk": group.name_kk}


def _groups_from_areas(areas: list[AreaRow], base: StandardVersion | None) -> list[dict]:
    """Groups in order of first appearance; weight from the file, else the known default, else 1; names
    from the file, else the known group's, else the code (English only).
    Ties in C_t are broken by heavier groups first, then file order (2019: priority, ict, additional)."""
    known = {g.code: g for g in base.groups} if base is not None else {}
    groups: dict[str, dict] = {}
    for area in areas:
        meta = groups.setdefault(area.group, {
            "code": area.group, "weight": None,
            "name_en": known[area.group].name_en if area.group in known else area.group.replace("_", " ").title(),
            "name_ru": known[area.group].name_ru if area.group in known else "",
            "name_kk": known[area.group].name_kk if area.group in known else ""})
        if area.weight is not None:
            meta["weight"] = area.weight
        if area.group_names is not None:
            name_en, meta["name_ru"], meta["name_kk"] = area.group_names
            meta["name_en"] = name_en or meta["name_en"]  # the English name is required in the database
    for meta in groups.values():
        if meta["weight"] is None:
            meta["weight"] = DEFAULT_WEIGHTS.get(meta["code"], Decimal(1))
    by_weight = sorted(groups.values(), key=lambda m: -m["weight"])  # stable: file order within a weight
    for rank, meta in enumerate(by_weight, start=1):
        meta["tiebreak_rank"] = rank
    return list(groups.values())


def save_standard(year: int, areas: list[AreaRow], indicators: list[IndicatorRow], *, groups_meta: list[dict],
                  points_table: list, title: str, catalogue_source: str, official: bool) -> StandardVersion:
    """Create or update a version in place, keyed by codes; refuses to drop anything values use."""
    version = db.session.scalar(select(StandardVersion).where(StandardVersion.year == year))
    if version is None:
        version = StandardVersion(year=year, title=title, points_table=points_table)
        db.session.add(version)
    _refuse_dropping_used(version, {a.code for a in areas}, {i.code for i in indicators})
    version.title, version.points_table = title, points_table
    version.catalogue_source, version.is_official_catalogue = catalogue_source, official
    # stamped on every load, also when only its groups, areas or indicators change (a new target, a group's
    # weight): the cached reports notice a changed standard by this stamp (services.report_cache)
    version.loaded_at = utcnow()
    with db.session.no_autoflush:  # half-built rows must not be flushed before they are complete
        groups = _sync_groups(version, groups_meta)
        area_objs = _sync_areas(version, areas, groups)
        _sync_indicators(version, indicators, area_objs)
    db.session.flush()
    return version


def _added(collection: list, item):
    """Append a new child through its parent's collection, which is what cascades it into the session."""
    collection.append(item)
    return item


def _refuse_dropping_used(version: StandardVersion, area_codes: set[str], indicator_codes: set[str]) -> None:
    if version.id is None:
        return
    dropped = [i for i in version.indicators if i.code not in indicator_codes or i.area.code not in area_codes]
    if not dropped:
        return
    used = db.session.execute(
        select(Indicator.code, func.count(IndicatorValue.id)).join(IndicatorValue.indicator)
        .where(Indicator.id.in_([i.id for i in dropped])).group_by(Indicator.code)).all()
    if used:
        listing = ", ".join(_("%(code)s (%(count)s values)", code=code, count=count) for code, count in used)
        raise DomainError(_("the new catalogue drops indicators that have reported values: %(listing)s",
                            listing=listing))


def _sync_groups(version: StandardVersion, metas: list[dict]) -> dict[str, AreaGroup]:
    existing = {g.code: g for g in version.groups}
    result = {}
    for position, meta in enumerate(metas):
        group = existing.pop(meta["code"], None) or _added(version.groups, AreaGroup(code=meta["code"]))
        group.weight = float(meta["weight"])
        group.tiebreak_rank, group.position = meta["tiebreak_rank"], position
        group.name_en, group.name_ru, group.name_kk = meta["name_en"], meta["name_ru"], meta["name_kk"]
        result[group.code] = group
    for stale in existing.values():
        version.groups.remove(stale)
    return result


def _sync_areas(version: StandardVersion, rows: list[AreaRow], groups: dict[str, AreaGroup]) -> dict[str, Area]:
    existing = {a.code: a for a in version.areas}
    result = {}
    for position, row in enumerate(rows):
        area = existing.pop(row.code, None) or _added(version.areas, Area(code=row.code))
        area.group, area.position = groups[row.group], position
        area.name_en, area.name_ru, area.name_kk = row.name_en, row.name_ru, row.name_kk
        result[row.code] = area
    for stale in existing.values():
        version.areas.remove(stale)
    return result


def _sync_indicators(version: StandardVersion, rows: list[IndicatorRow], areas: dict[str, Area]) -> None:
    existing = {i.code: i for i in version.indicators}
    for position, row in enumerate(rows):
        indicator = existing.pop(row.code, None) or _added(version.indicators, Indicator(code=row.code))
        indicator.area, indicator.method, indicator.position = areas[row.area], row.method, position
        indicator.target = None if row.target is None else float(row.target)
        indicator.direction, indicator.unit = row.direction, row.unit
        indicator.name_en, indicator.name_ru, indicator.name_kk = row.name_en, row.name_ru, row.name_kk
        indicator.description, indicator.source = row.description, row.source
        indicator.description_ru, indicator.description_kk = row.description_ru, row.description_kk
    for stale in existing.values():
        version.indicators.remove(stale)
