"""Writes for training. Pages, the API, the admin, tasks and the demo call these and
never change training records themselves."""

from training.services.assignments import (
    AssignResult,
    assign,
    assign_people,
    people_matching,
    recertify_expired,
    rule_create,
    rule_delete,
    rules_apply,
)
from training.services.modules import (
    MODULE_FIELDS,
    module_create,
    module_update,
    question_delete,
    question_save,
)
from training.services.quiz import (
    acknowledge,
    add_months,
    attempt_results,
    attempt_start,
    attempt_submit,
    questions_shown,
    text_sha256,
)
from training.services.reminders import reminder_due, send_reminders
from training.services.standards import (
    VERSION_FIELDS,
    PublishImpact,
    PublishResult,
    covered_staff,
    standard_create,
    standard_update,
    version_create_draft,
    version_delete_draft,
    version_publish,
    version_publish_impact,
    version_update,
)

__all__ = [
    "MODULE_FIELDS",
    "VERSION_FIELDS",
    "AssignResult",
    "PublishImpact",
    "PublishResult",
    "acknowledge",
    "add_months",
    "assign",
    "assign_people",
    "attempt_results",
    "attempt_start",
    "attempt_submit",
    "covered_staff",
    "module_create",
    "module_update",
    "people_matching",
    "question_delete",
    "question_save",
    "questions_shown",
    "recertify_expired",
    "reminder_due",
    "rule_create",
    "rule_delete",
    "rules_apply",
    "send_reminders",
    "standard_create",
    "standard_update",
    "text_sha256",
    "version_create_draft",
    "version_delete_draft",
    "version_publish",
    "version_publish_impact",
    "version_update",
]
