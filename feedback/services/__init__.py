"""Writes on insights. Every change goes through here: views, API, admin and tasks call
these functions and never change insights themselves."""

from feedback.services.conversation import (
    comment_add,
    insight_endorse,
    insight_follow,
    insight_unendorse,
    insight_unfollow,
)
from feedback.services.insights import (
    AUTHOR_EDITABLE,
    TRANSITIONS,
    TRIAGE_FIELDS,
    allowed_transitions,
    insight_edit,
    insight_submit,
    insight_transition,
    insight_triage,
    insights_bulk_transition,
)
from feedback.services.photos import PHOTO_FORMATS, PHOTO_MAX_BYTES, PHOTO_MAX_PIXELS, clean_photo
from feedback.services.reminders import remind_overdue_insights

__all__ = [
    "AUTHOR_EDITABLE",
    "PHOTO_FORMATS",
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_PIXELS",
    "TRANSITIONS",
    "TRIAGE_FIELDS",
    "allowed_transitions",
    "clean_photo",
    "comment_add",
    "insight_edit",
    "insight_endorse",
    "insight_follow",
    "insight_submit",
    "insight_transition",
    "insight_triage",
    "insight_unendorse",
    "insight_unfollow",
    "insights_bulk_transition",
    "remind_overdue_insights",
]
