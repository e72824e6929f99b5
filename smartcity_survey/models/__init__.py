"""Database models, one module per aggregate."""
from .assessments import AssessmentYear, IndicatorValue, ValueStatus
from .cities import City
from .perceived import PopulationMargin, ResponseMeasure
from .questionnaires import Audience, Choice, Question, Questionnaire, QuestionnaireCity, QuestionnaireStatus, Section
from .responses import Answer, Response, ResponseSource
from .standard import Area, AreaGroup, Indicator, StandardVersion
from .users import Role, User

__all__ = [
    "Answer", "Area", "AreaGroup", "AssessmentYear", "Audience", "Choice", "City", "Indicator", "IndicatorValue",
    "PopulationMargin", "Question", "Questionnaire", "QuestionnaireCity", "QuestionnaireStatus", "Response", "ResponseMeasure", "ResponseSource",
    "Role", "Section", "StandardVersion", "User", "ValueStatus",
]
