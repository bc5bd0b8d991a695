"""Models of the evaluation app: surveys (evaluation.surveys.models); dashboards and the yearly report add theirs here."""

from evaluation.dashboards.models import QuarterCount, Rollup  # noqa: F401
from evaluation.evidence.models import (  # noqa: F401
    Control,
    ControlExplanation,
    ControlFramework,
    MaturityAnswer,
    MaturityAssessment,
)
from evaluation.report.models import EvaluationReport, TopicProposal, TopicVote  # noqa: F401
from evaluation.surveys.models import (  # noqa: F401
    LIKERT_VALUES,
    MIN_GROUP_SIZE,
    Answer,
    Participation,
    Question,
    Response,
    Survey,
)
