"""Database models, one module per aggregate."""
from .assessments import EDITABLE_STATUSES, AssessmentYear, IndicatorValue, ValueStatus, WorkflowError
from .audit import AdminAction, AdminActionKind
from .cities import City
from .evidence import EvidenceFile
from .history import ChangeKind, ImmutableRecord, IndicatorValueChange
from .standard import Area, AreaGroup, Indicator, StandardVersion
from .users import Role, User

__all__ = [
    "AdminAction", "AdminActionKind", "Area", "AreaGroup", "AssessmentYear", "ChangeKind", "City",
    "EDITABLE_STATUSES", "EvidenceFile", "ImmutableRecord", "Indicator", "IndicatorValue",
    "IndicatorValueChange", "Role", "StandardVersion", "User", "ValueStatus", "WorkflowError",
]
