"""Standards and their versions: write a draft, edit it, publish it."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Channel, Department, User
from training import links
from training.errors import Conflict
from training.models import ChangeKind, Module, Standard, StandardVersion, VersionAnswer
from training.selectors import is_author, staff
from training.services.assignments import AssignResult, assign_people, compliance_changed

STANDARD_FIELDS = {"title_en", "title_ar", "department", "is_active"}
VERSION_FIELDS = {"text_en", "text_ar", "change_notes", "change", "effective_date"}


def _require_author(user: User) -> None:
    if not is_author(user):
        raise PermissionDenied(_("Only trainers write standards and modules."))


@transaction.atomic
def standard_create(
    *,
    by: User,
    code: str,
    title_en: str,
    title_ar: str,
    channels: Iterable[Channel] = (),
    department: Department | None = None,
) -> Standard:
    """A new service standard (its text comes with its first version)."""
    _require_author(by)
    if Standard.objects.filter(code__iexact=code).exists():
        raise ValidationError({"code": _("A standard with this code already exists.")})
    standard = Standard(code=code, title_en=title_en, title_ar=title_ar, department=department)
    standard.full_clean()
    standard.save()
    standard.channels.set(channels)
    return standard


@transaction.atomic
def standard_update(
    *, standard: Standard, by: User, channels: Iterable[Channel] | None = None, **fields
) -> Standard:
    """Change a standard's title, department, channels or whether it is active."""
    _require_author(by)
    unexpected = set(fields) - STANDARD_FIELDS
    if unexpected:
        raise TypeError(f"standard_update() got unexpected fields {sorted(unexpected)}")
    for name, value in fields.items():
        setattr(standard, name, value)
    standard.full_clean()
    if fields:
        standard.save(update_fields=list(fields))
    if channels is not None:
        standard.channels.set(channels)
    compliance_changed()
    return standard


def _set_answers(version: StandardVersion, by: User, insight_ids) -> None:
    ids = links.resolve_insight_ids(by, insight_ids)
    VersionAnswer.objects.filter(version=version).exclude(insight_id__in=ids).delete()
    have = set(version.answers.values_list("insight_id", flat=True))
    VersionAnswer.objects.bulk_create(
        [VersionAnswer(version=version, insight_id=i) for i in ids if i not in have]
    )


def _check_change(change: str, number: int) -> None:
    if change not in ChangeKind.values:
        raise ValidationError({"change": _("Choose “major” or “minor”.")})
    if number == 1 and change != ChangeKind.MAJOR:
        raise ValidationError({"change": _("The first version of a standard is always major.")})


@transaction.atomic
def version_create_draft(
    *,
    standard: Standard,
    by: User,
    text_en: str = "",
    text_ar: str = "",
    change_notes: str = "",
    change: str | None = None,
    effective_date: datetime.date | None = None,
    answers_insights: Iterable[int] = (),
    now: datetime.datetime | None = None,
) -> StandardVersion:
    """Start the next version of ``standard`` as a draft (one draft at a time)."""
    _require_author(by)
    now = now or timezone.now()
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.versions.drafts().exists():
        raise Conflict(_("This standard already has a draft: edit or publish it first."))
    number = (standard.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    change = change or ChangeKind.MAJOR
    _check_change(change, number)
    version = StandardVersion(
        standard=standard,
        number=number,
        text_en=text_en,
        text_ar=text_ar,
        change_notes=change_notes,
        change=change,
        effective_date=effective_date or timezone.localdate(now),
        created_by=by,
        created_at=now,
    )
    version.full_clean()
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:
        raise Conflict(_("This standard already has a draft: edit or publish it first.")) from exc
    _set_answers(version, by, answers_insights)
    return version


def _locked_draft(version: StandardVersion) -> StandardVersion:
    fresh = (
        StandardVersion.objects.select_for_update().select_related("standard").get(pk=version.pk)
    )
    if fresh.is_published:
        raise Conflict(_("A published version is never changed: write a new version."))
    return fresh


@transaction.atomic
def version_update(
    *, version: StandardVersion, by: User, answers_insights: Iterable[int] | None = None, **fields
) -> StandardVersion:
    """Edit a draft; a published version answers :class:`Conflict`."""
    _require_author(by)
    unexpected = set(fields) - VERSION_FIELDS
    if unexpected:
        raise TypeError(f"version_update() got unexpected fields {sorted(unexpected)}")
    draft = _locked_draft(version)
    for name, value in fields.items():
        setattr(draft, name, value)
    _check_change(draft.change, draft.number)
    draft.full_clean()
    if fields:
        draft.save(update_fields=list(fields))
    if answers_insights is not None:
        _set_answers(draft, by, answers_insights)
    return draft


@transaction.atomic
def version_delete_draft(*, version: StandardVersion, by: User) -> None:
    _require_author(by)
    _locked_draft(version).delete()


@dataclass
class PublishImpact:
    """What publishing a version does to people: who re-trains on which modules."""

    major: bool
    people: int
    modules: list[Module]


def version_publish_impact(version: StandardVersion) -> PublishImpact:
    """Who will have to re-train when ``version`` is published (nobody for a minor
    version or a first version)."""
    retrain = version.is_major and _has_earlier(version)
    if not retrain:
        return PublishImpact(major=version.is_major, people=0, modules=[])
    return PublishImpact(
        major=True,
        people=covered_staff(version.standard).count(),
        modules=list(version.standard.modules.filter(is_active=True)),
    )


def _has_earlier(version: StandardVersion) -> bool:
    return (
        StandardVersion.objects.published()
        .filter(standard_id=version.standard_id, number__lt=version.number)
        .exists()
    )


def covered_staff(standard: Standard):
    """The staff a standard covers today: their team serves one of its channels, or
    everyone when it lists none."""
    channel_ids = list(standard.channels.values_list("pk", flat=True))
    people = staff()
    if channel_ids:
        people = people.filter(team__channels__in=channel_ids).distinct()
    return people


@dataclass
class PublishResult:
    version: StandardVersion
    assigned: AssignResult


@transaction.atomic
def version_publish(
    *, version: StandardVersion, by: User, now: datetime.datetime | None = None
) -> PublishResult:
    """Publish a draft: from now on it is never changed.

    A major version after the first re-opens compliance for everyone covered (their
    earlier passes no longer count) and assigns them the active modules covering the
    standard, reason ``revision``. The submitters of the insights it answers are told.
    """
    _require_author(by)
    now = now or timezone.now()
    draft = _locked_draft(version)
    if not (draft.text_en.strip() and draft.text_ar.strip()):
        raise ValidationError(
            {
                "text_ar" if draft.text_en.strip() else "text_en": _(
                    "Write the text in both languages."
                )
            }
        )
    previous = (
        StandardVersion.objects.published()
        .filter(standard_id=draft.standard_id)
        .order_by("-number")
        .first()
    )
    if previous and draft.effective_date < previous.effective_date:
        raise ValidationError(
            {"effective_date": _("It cannot take effect before the version it replaces.")}
        )
    draft.published_at, draft.published_by = now, by
    draft.save(update_fields=["published_at", "published_by"])
    assigned = AssignResult()
    if draft.is_major and previous is not None:
        due = max(timezone.localdate(now), draft.effective_date) + datetime.timedelta(
            days=settings.TRAINING_REVISION_DUE_DAYS
        )
        people = list(covered_staff(draft.standard))
        for module in draft.standard.modules.filter(is_active=True).order_by("code"):
            assigned += assign_people(
                module=module, people=people, due_date=due, reason="revision", by=by, now=now
            )
    links.notify_insights_answered(draft, draft.answers.values_list("insight_id", flat=True))
    compliance_changed()
    return PublishResult(version=draft, assigned=assigned)
