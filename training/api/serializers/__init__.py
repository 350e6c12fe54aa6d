"""Training in the API. Related objects are written and read by their code; a person by
their username. Staff never receive a question's answers or explanations before they
submit: modules and open attempts reach them through the ``Learner`` and ``Shown``
serializers."""

from training.api.serializers.modules import (
    ChoiceSerializer,
    LearnerChoiceSerializer,
    LearnerModuleSerializer,
    LearnerQuestionSerializer,
    ModuleSerializer,
    ModuleUpdateSerializer,
    QuestionSerializer,
)
from training.api.serializers.records import (
    AcknowledgementSerializer,
    AssignmentSerializer,
    AssignRequestSerializer,
    AssignResultSerializer,
    AttemptResultSerializer,
    AttemptStartedSerializer,
    ComplianceRowSerializer,
    ComplianceSerializer,
    EvidenceRowSerializer,
    QuestionResultSerializer,
    RuleCreatedSerializer,
    RuleSerializer,
    ShownChoiceSerializer,
    ShownQuestionSerializer,
    SubmitSerializer,
)
from training.api.serializers.standards import (
    DiffLineSerializer,
    DiffSerializer,
    PublishResultSerializer,
    StandardSerializer,
    StandardUpdateSerializer,
    VersionSerializer,
)

__all__ = [
    "AcknowledgementSerializer",
    "AssignRequestSerializer",
    "AssignResultSerializer",
    "AssignmentSerializer",
    "AttemptResultSerializer",
    "AttemptStartedSerializer",
    "ChoiceSerializer",
    "ComplianceRowSerializer",
    "ComplianceSerializer",
    "DiffLineSerializer",
    "DiffSerializer",
    "EvidenceRowSerializer",
    "LearnerChoiceSerializer",
    "LearnerModuleSerializer",
    "LearnerQuestionSerializer",
    "ModuleSerializer",
    "ModuleUpdateSerializer",
    "PublishResultSerializer",
    "QuestionResultSerializer",
    "QuestionSerializer",
    "RuleCreatedSerializer",
    "RuleSerializer",
    "ShownChoiceSerializer",
    "ShownQuestionSerializer",
    "StandardSerializer",
    "StandardUpdateSerializer",
    "SubmitSerializer",
    "VersionSerializer",
]
