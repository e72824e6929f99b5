"""Database models, one module per aggregate."""
from .assessments import AssessmentYear, IndicatorValue, ValueStatus
from .cities import City
from .standard import Area, AreaGroup, Indicator, StandardVersion

__all__ = [
    "Area", "AreaGroup", "AssessmentYear", "City", "Indicator", "IndicatorValue",
    "StandardVersion", "ValueStatus",
]
