"""The database holds the training records' rules, whatever writes to it: at most one open
assignment per person and module (closed ones may pile up), one reminder per assignment,
kind and date, one acknowledgement per person and version, one draft per standard."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.training.conftest import publish
from training import services
from training.models import Acknowledgement, Assignment, Reminder, StandardVersion

pytestmark = pytest.mark.django_db


def refused(make) -> str:
    """What the database said when it refused ``make()`` (empty when it did not)."""
    try:
        with transaction.atomic():
            make()
    except IntegrityError as exc:
        return str(exc)
    return ""


def due(days: int = 7) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_one_open_assignment_per_person_and_module(alice, bob, module):
    def assign(user, status="open"):
        return Assignment.objects.create(
            user=user, module=module, due_date=due(), reason="manual", status=status
        )

    assign(alice)

    error = refused(lambda: assign(alice))

    assert "assignment_one_open_per_module" in error or "UNIQUE" in error
    assert not refused(lambda: assign(alice, "passed"))
    assert not refused(lambda: assign(alice, "failed"))
    assert not refused(lambda: assign(bob))
    assert Assignment.objects.filter(user=alice).count() == 3


def test_one_reminder_per_assignment_kind_and_date(alice, tariq, module):
    services.assign(module=module, due_date=due(), by=tariq, users=[alice])
    assignment = Assignment.objects.get()
    Reminder.objects.create(assignment=assignment, kind="before", date=due(-3))

    error = refused(
        lambda: Reminder.objects.create(assignment=assignment, kind="before", date=due(-3))
    )

    assert "reminder_unique_assignment_kind_date" in error or "UNIQUE" in error
    assert not refused(
        lambda: Reminder.objects.create(assignment=assignment, kind="due", date=due())
    )
    assert Reminder.objects.count() == 2


def test_one_acknowledgement_per_person_and_version(alice, tariq, standard):
    version = publish(standard, tariq).version
    services.acknowledge(user=alice, standard=standard, version_number=1, language="en")

    error = refused(
        lambda: Acknowledgement.objects.create(
            user=alice, standard=standard, version=version, language="ar", text_sha256="0" * 64
        )
    )

    assert "acknowledgement_unique" in error or "UNIQUE" in error
    assert Acknowledgement.objects.count() == 1


def test_one_draft_per_standard(tariq, standard):
    publish(standard, tariq)

    def draft(number):
        return StandardVersion.objects.create(
            standard=standard, number=number, text_en="d", change="minor", effective_date=due()
        )

    draft(2)
    error = refused(lambda: draft(3))

    assert "standardversion_one_draft" in error or "UNIQUE" in error
    assert StandardVersion.objects.filter(published_at__isnull=True).count() == 1
