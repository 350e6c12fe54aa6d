"""The evidence an auditor asks for: per person × standard version, the
acknowledgement (time, language, SHA-256 of the text shown) and the passing attempt
(time, score, module and its revision). What is not recorded is ``None``: null in
JSON, an empty cell in CSV and XLSX."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Language, User
from training.models import Acknowledgement, AttemptStandard, ChangeKind, Standard

EVIDENCE_COLUMNS = [
    ("username", _("Username")),
    ("person", _("Person")),
    ("team", _("Team")),
    ("location", _("Location code")),
    ("standard", _("Standard")),
    ("standard_title", _("Standard title")),
    ("version", _("Version")),
    ("change", _("Change")),
    ("effective_date", _("Effective date")),
    ("acknowledged_at", _("Acknowledged")),
    ("acknowledged_language", _("Language shown")),
    ("text_sha256", _("SHA-256 of the text shown")),
    ("passed_at", _("Passed")),
    ("score", _("Score (%)")),
    ("module", _("Module")),
    ("module_revision", _("Module revision")),
]


def _when(value) -> str | None:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else None


def _person(user: User) -> dict:
    return {
        "username": user.username,
        "person": user.display_name,
        "team": user.team.name if user.team_id else None,
        "location": user.team.location.code if user.team_id else None,
    }


def _version(version, standard: Standard) -> dict:
    return {
        "standard": standard.code,
        "standard_title": standard.title,
        "version": version.number,
        "change": str(ChangeKind(version.change).label),
        "effective_date": version.effective_date.isoformat(),
    }


def evidence_rows(*, people: QuerySet[User], standard: Standard | None = None) -> Iterator[dict]:
    """One row per person and standard version they acknowledged or passed a module
    for, ordered by person, standard and version. Two queries."""
    acks = Acknowledgement.objects.filter(user__in=people.values("pk")).select_related(
        "user__team__location", "standard", "version"
    )
    passes = (
        AttemptStandard.objects.filter(
            attempt__passed=True, attempt__user__in=people.values("pk"), version__isnull=False
        )
        .select_related("attempt__module", "attempt__user__team__location", "standard", "version")
        .order_by("attempt__submitted_at", "attempt_id")
    )
    if standard is not None:
        acks, passes = acks.filter(standard=standard), passes.filter(standard=standard)
    rows: dict[tuple[int, int], dict] = {}

    def row_for(user, version, std) -> dict:
        key = (user.pk, version.pk)
        if key not in rows:
            rows[key] = {
                **dict.fromkeys(name for name, _header in EVIDENCE_COLUMNS),
                **_person(user),
                **_version(version, std),
            }
        return rows[key]

    for ack in acks:
        row = row_for(ack.user, ack.version, ack.standard)
        row["acknowledged_at"] = _when(ack.acknowledged_at)
        row["acknowledged_language"] = str(Language(ack.language).label)
        row["text_sha256"] = ack.text_sha256
    for link in passes:  # oldest first: the latest pass of a version wins
        attempt = link.attempt
        row = row_for(attempt.user, link.version, link.standard)
        row["passed_at"] = _when(attempt.submitted_at)
        row["score"] = float(attempt.score)
        row["module"] = attempt.module.code
        row["module_revision"] = attempt.module_revision
    yield from sorted(rows.values(), key=lambda r: (r["username"], r["standard"], r["version"]))
