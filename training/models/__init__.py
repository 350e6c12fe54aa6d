"""Service standards and their versions, modules and quizzes, assignments, attempts,
acknowledgements and reminders."""

from training.models.assignments import (
    Assignment,
    AssignmentRule,
    AssignmentStatus,
    Reason,
    Reminder,
)
from training.models.modules import Choice, Module, Question, QuestionKind
from training.models.records import Acknowledgement, Attempt, AttemptStandard
from training.models.standards import (
    ChangeKind,
    Standard,
    StandardVersion,
    VersionAnswer,
    day_end,
)

__all__ = [
    "Acknowledgement",
    "Assignment",
    "AssignmentRule",
    "AssignmentStatus",
    "Attempt",
    "AttemptStandard",
    "ChangeKind",
    "Choice",
    "Module",
    "Question",
    "QuestionKind",
    "Reason",
    "Reminder",
    "Standard",
    "StandardVersion",
    "VersionAnswer",
    "day_end",
]
