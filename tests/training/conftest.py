"""Fixtures for the training tests: a standard on the branch channel that alice's and
bob's teams serve, a module with a real quiz covering it, and helpers that go through
the public API as the people of ``tests/conftest.py``."""

import datetime

import pytest
from django.utils import timezone

from portal.models import Channel
from training import services
from training.models import Attempt

STANDARDS = "/api/v1/standards/"
MODULES = "/api/v1/modules/"
ASSIGNMENTS = "/api/v1/assignments/"
ACKS = "/api/v1/acknowledgements/"
COMPLIANCE = "/api/v1/compliance/"

TEXT_EN = "# Greet every customer\n\nSay your name and offer help within **10 seconds**."
TEXT_AR = "# رحّب بكل عميل\n\nعرّف باسمك واعرض المساعدة خلال **عشر ثوانٍ**."

QUESTIONS = [
    {
        "kind": "single",
        "text_en": "Within how many seconds do you greet a customer?",
        "text_ar": "خلال كم ثانية ترحب بالعميل؟",
        "explanation_en": "The standard says 10 seconds.",
        "explanation_ar": "ينص المعيار على عشر ثوانٍ.",
        "choices": [
            {"text_en": "10", "text_ar": "١٠", "correct": True},
            {"text_en": "60", "text_ar": "٦٠", "correct": False},
            {"text_en": "120", "text_ar": "١٢٠", "correct": False},
        ],
    },
    {
        "kind": "multiple",
        "text_en": "What does a greeting include?",
        "text_ar": "ماذا يتضمن الترحيب؟",
        "explanation_en": "Your name and an offer of help.",
        "explanation_ar": "اسمك وعرض المساعدة.",
        "choices": [
            {"text_en": "Your name", "text_ar": "اسمك", "correct": True},
            {"text_en": "An offer of help", "text_ar": "عرض المساعدة", "correct": True},
            {"text_en": "A sales pitch", "text_ar": "عرض مبيعات", "correct": False},
        ],
    },
    {
        "kind": "single",
        "text_en": "A customer is upset. You…",
        "text_ar": "العميل منزعج. أنت…",
        "explanation_en": "Listen first, then act.",
        "explanation_ar": "استمع أولاً ثم تصرف.",
        "choices": [
            {"text_en": "listen first", "text_ar": "تستمع أولاً", "correct": True},
            {"text_en": "argue", "text_ar": "تجادل", "correct": False},
        ],
    },
]


@pytest.fixture
def branch(db) -> Channel:
    return Channel.objects.get(code="branch")


@pytest.fixture
def standard(org, tariq, branch):
    """STD-GREET-01, on the branch channel, which both tellers' teams serve."""
    org.team_ruh.channels.add(branch)
    org.team_jed.channels.add(branch)
    return services.standard_create(
        by=tariq,
        code="STD-GREET-01",
        title_en="Greet and identify",
        title_ar="الترحيب والتعريف",
        channels=[branch],
        department=org.department,
    )


def publish(standard, by, *, change="major", text_en=TEXT_EN, text_ar=TEXT_AR, now=None, **fields):
    draft = services.version_create_draft(
        standard=standard, by=by, text_en=text_en, text_ar=text_ar, change=change, now=now, **fields
    )
    return services.version_publish(version=draft, by=by, now=now)


@pytest.fixture
def module(tariq, standard):
    return services.module_create(
        by=tariq,
        code="MOD-GREET",
        title_en="Greeting customers",
        title_ar="الترحيب بالعملاء",
        content_en="## Why\n\nFirst impressions last.",
        content_ar="## لماذا\n\nالانطباع الأول يدوم.",
        standards=[standard],
        pass_mark=80,
        max_attempts=2,
        questions=QUESTIONS,
    )


def right_answers(attempt_id: int) -> dict[str, list[int]]:
    """The right answers of an attempt, read from the server's copy (as only a test may)."""
    attempt = Attempt.objects.get(pk=attempt_id)
    return {
        str(q["id"]): sorted(c["id"] for c in q["choices"] if c["correct"])
        for q in attempt.questions
    }


def wrong_answers(attempt_id: int) -> dict[str, list[int]]:
    attempt = Attempt.objects.get(pk=attempt_id)
    return {
        str(q["id"]): [next(c["id"] for c in q["choices"] if not c["correct"])]
        for q in attempt.questions
    }


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()
