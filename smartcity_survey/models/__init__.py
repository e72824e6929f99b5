"""Database models, one module per aggregate."""
from .assessments import EDITABLE_STATUSES, AssessmentYear, IndicatorValue, ValueStatus, WorkflowError
from .audit import AdminAction, AdminActionKind
from .cities import City
from .drafts import Invitation, ResponseDraft
from .evidence import EvidenceFile
from .history import ChangeKind, ImmutableRecord, IndicatorValueChange
from .moderation import ReviewStatus, SuggestionReview
from .perceived import PopulationMargin, ResponseMeasure
from .questionnaires import (AccessMode, Audience, Choice, Question, Questionnaire, QuestionnaireCity,
                             QuestionnaireStatus, Section)
from .responses import Answer, Response, ResponseSource
from .standard import Area, AreaGroup, Indicator, StandardVersion
from .users import Role, User

__all__ = [
    "AccessMode", "AdminAction", "AdminActionKind", "Answer", "Area", "AreaGroup", "AssessmentYear", "Audience",
    "ChangeKind", "Choice", "City", "EDITABLE_STATUSES", "EvidenceFile", "ImmutableRecord", "Indicator",
    "IndicatorValue", "IndicatorValueChange", "Invitation", "PopulationMargin", "Question", "Questionnaire",
    "QuestionnaireCity", "QuestionnaireStatus", "Response", "ResponseDraft", "ResponseMeasure", "ResponseSource",
    "ReviewStatus", "Role", "Section", "StandardVersion", "SuggestionReview", "User", "ValueStatus", "WorkflowError",
]
