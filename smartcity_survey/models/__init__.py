"""Database models, one module per aggregate."""
from .assessments import AssessmentYear, IndicatorValue, ValueStatus
from .cities import City
from .drafts import Invitation, ResponseDraft
from .questionnaires import (AccessMode, Audience, Choice, Question, Questionnaire, QuestionnaireCity,
                             QuestionnaireStatus, Section)
from .responses import Answer, Response, ResponseSource
from .standard import Area, AreaGroup, Indicator, StandardVersion
from .users import Role, User

__all__ = [
    "AccessMode", "Answer", "Area", "AreaGroup", "AssessmentYear", "Audience", "Choice", "City", "Indicator",
    "IndicatorValue", "Invitation", "Question", "Questionnaire", "QuestionnaireCity", "QuestionnaireStatus",
    "Response", "ResponseDraft", "ResponseSource", "Role", "Section", "StandardVersion", "User", "ValueStatus",
]
