"""Which year, city and area a request is about, and whether the signed-in user may act there.

Order matters: the city is checked first, so an officer of another city gets 404 on every URL of
a city that is not theirs (nothing about it leaks, not even which actions exist); only then is the
role checked, which answers 403 (an analyst trying to type values, an officer trying to verify).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import require_city_access
from ..extensions import db
from ..models import Area, AssessmentYear, City, Role
from ..services.assessments import find_area
from ..services.history import Actor
from ..services.rating import get_assessment

#: who reviews submissions: analysts, and admins who may do everything
REVIEWERS = (Role.ANALYST.value, Role.ADMIN.value)


@dataclass
class Scope:
    assessment: AssessmentYear
    city: City
    area: Area | None = None

    @property
    def year(self) -> int:
        return self.assessment.year

    @property
    def url_args(self) -> dict:
        args = {"year": self.assessment.year, "slug": self.city.slug}
        return args | ({"area_code": self.area.code} if self.area is not None else {})


def load_scope(year: int, slug: str, area_code: str | None = None) -> Scope:
    """The year, the city (404 unless the user may read it) and optionally the area, or 404."""
    assessment = get_assessment(year)
    city = db.session.scalar(select(City).where(City.slug == slug))
    require_city_access(city)
    if assessment is None:
        abort(404)
    scope = Scope(assessment, city)
    if area_code is not None:
        scope.area = find_area(assessment, area_code) or abort(404)
    return scope


def require_role(*roles: str) -> None:
    if current_user.role not in roles:
        abort(403)


def is_editor() -> bool:
    """Values are the city's own report: only its officers type them (the city is checked already).
    Admins act on them through reopening, never by typing a city's figures."""
    return current_user.is_akimat


def actor() -> Actor:
    return Actor.of(current_user)
