"""Database models, one module per aggregate."""
from .assessments import AssessmentYear, IndicatorValue, ValueStatus
from .cities import City
from .standard import Area, AreaGroup, Indicator, StandardVersion
from .users import Role, User

__all__ = [
    "Area", "AreaGroup", "AssessmentYear", "City", "Indicator", "IndicatorValue",
    "Role", "StandardVersion", "User", "ValueStatus",
]
