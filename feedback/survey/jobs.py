"""Survey imports in the background: the :class:`SurveyImport` row is the outbox row.

* :func:`survey_import_start` stores the upload (a private folder, never served),
  writes the job ``queued`` and queues ``run_survey_import_task`` after commit.
* :func:`survey_import_run` (the task's body) claims the job with a conditional
  update that sets its lease (``claimed_at``), reads and stages the file reporting
  progress — each report refreshes the lease, and stops the run if another worker
  has taken the job over — and writes everything in **one transaction at the end**,
  together with the job's final counts and status.

Why one transaction at the end rather than idempotent batches: a run killed at any
point leaves either nothing (the staging table dies with its database session) or
everything, counts included, so the retried run — which starts again from the
file — necessarily ends with the same rows and counts as an uninterrupted one.
Committed batches would need the run to remember where it stopped, and a reader
would see half an import in the meantime. The cost is that a long import holds its
write for the few seconds of the final merge, not that it must fit in memory: the
rows wait in the staging table.

* :func:`survey_imports_requeue` (the sweeper, ``feedback.tasks``) re-queues jobs
  left ``queued`` (the broker was down) or ``running`` with an expired lease (their
  worker died), and gives up a job after ``SURVEY_IMPORT_MAX_ATTEMPTS`` claims.
"""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import SOURCE_MAX, SurveyImport
from feedback.survey.errors import RowError
from feedback.survey.importing import ImportResult, ImportStopped, survey_import_file
from feedback.survey.validation import SOURCE_PATTERN
from portal import outbox

log = logging.getLogger(__name__)
State = SurveyImport.State


def check_options(*, source: str, encoding: str, on_error: str) -> str:
    errors = {}
    source = (source or "").strip().lower()
    if source and (len(source) > SOURCE_MAX or not SOURCE_PATTERN.fullmatch(source)):
        errors["source"] = _(
            "A source is a short code: letters, digits, hyphens and underscores only."
        )
    if encoding not in SurveyImport.Encoding.values:
        errors["encoding"] = _("Choose UTF-8, UTF-16 or Windows-1256.")
    if on_error not in SurveyImport.OnError.values:
        errors["on_error"] = _("Choose “abort” or “skip”.")
    if errors:
        raise ValidationError(errors)
    return source


def survey_import_start(
    *,
    by,
    file,
    source: str = "",
    encoding: str = SurveyImport.Encoding.UTF8,
    on_error: str = SurveyImport.OnError.ABORT,
    dry_run: bool = False,
) -> SurveyImport:
    """Store an uploaded file (a Django ``UploadedFile``) as a queued import job of
    ``by`` (a manager) and queue its task once the job is committed."""
    if not (by.is_authenticated and by.is_active and by.is_manager):
        raise PermissionDenied(_("Only managers import survey data."))
    source = check_options(source=source, encoding=encoding, on_error=on_error)
    if file.size > settings.SURVEY_IMPORT_MAX_MB * 1024 * 1024:
        raise ValidationError(
            {
                "file": _("The file is larger than %(max)s MB.")
                % {"max": settings.SURVEY_IMPORT_MAX_MB}
            }
        )
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    from feedback.tasks import run_survey_import_task

    with transaction.atomic():
        job = SurveyImport(
            created_by=by,
            file_name=(file.name or "upload")[-255:],
            file_size=file.size,
            sha256=digest.hexdigest(),
            source=source,
            encoding=encoding,
            on_error=on_error,
            dry_run=dry_run,
            claimed_at=timezone.now(),
        )
        job.file.save(file.name or "upload", file, save=False)
        job.save()
        outbox.enqueue_on_commit(run_survey_import_task, job.pk)
    return job


# --- running --------------------------------------------------------------------------------
def _claimable(now) -> Q:
    return Q(status=State.QUEUED) | Q(
        status=State.RUNNING, claimed_at__lt=outbox.lease_expired_before(now)
    )


def _finish(job_id: int, claim, result: ImportResult | None, errors=None) -> int:
    """Record the outcome, if this run still holds the job. Returns the rows updated."""
    values = {"finished_at": timezone.now(), "claimed_at": None}
    if result is not None:
        values.update(
            status=State.FAILED if result.refused else State.SUCCEEDED,
            total_rows=result.total_rows,
            processed_rows=result.processed_rows,
            errors=[error.as_stored() for error in result.errors],
            **result.counts(),
        )
    else:
        values.update(status=State.FAILED, errors=[e.as_stored() for e in errors], error_count=1)
    return SurveyImport.objects.filter(pk=job_id, claimed_at=claim).update(**values)


def _remove_file(job_id: int) -> None:
    job = SurveyImport.objects.filter(pk=job_id).only("file").first()
    if job is not None and job.file:
        job.file.delete(save=False)
        SurveyImport.objects.filter(pk=job_id).update(file="")


class _Run:
    """One run of a claimed job: keeps the lease it holds, and gives up when it lost it."""

    def __init__(self, job: SurveyImport, claim, on_progress=None):
        self.job = job
        self.claim = claim
        self.on_progress = on_progress

    def progress(self, processed: int, total: int | None) -> None:
        now = timezone.now()
        moved = SurveyImport.objects.filter(pk=self.job.pk, claimed_at=self.claim).update(
            processed_rows=processed, total_rows=total, claimed_at=now
        )
        if not moved:
            raise ImportStopped  # another worker took the job over after our lease expired
        self.claim = now
        if self.on_progress:
            self.on_progress(processed, total)

    def before_commit(self, result: ImportResult) -> None:
        if not _finish(self.job.pk, self.claim, result):
            raise ImportStopped  # taken over meanwhile: roll the write back


def run_job(job: SurveyImport, fileobj, *, claim, by, on_progress=None) -> ImportResult | None:
    """Import ``fileobj`` for ``job`` (already claimed with lease ``claim``), keeping the
    job's progress and lease up to date and recording its outcome with the rows.
    Returns ``None`` when another run took the job over."""
    run = _Run(job, claim, on_progress)
    try:
        result = survey_import_file(
            file=fileobj,
            by=by,
            encoding=job.encoding,
            source=job.source,
            on_error=job.on_error,
            dry_run=job.dry_run,
            job_id=job.pk,
            progress=run.progress,
            before_commit=run.before_commit,
        )
    except ImportStopped:
        return None
    if (result.refused or result.dry_run) and not _finish(job.pk, run.claim, result):
        return None
    return result


def survey_import_run(*, import_id: int) -> bool:
    """Claim the job and run it to the end (the task's body). Idempotent: a job that is
    finished, or held by a live worker, is left alone. Returns whether this call ran it."""
    now = timezone.now()
    claimed = SurveyImport.objects.filter(
        _claimable(now), pk=import_id, attempts__lt=settings.SURVEY_IMPORT_MAX_ATTEMPTS
    ).update(
        status=State.RUNNING,
        claimed_at=now,
        started_at=Coalesce(F("started_at"), Value(now)),
        attempts=F("attempts") + 1,
        processed_rows=0,
    )
    if not claimed:
        return False
    job = SurveyImport.objects.select_related("created_by").get(pk=import_id)
    if not job.file:
        _finish(import_id, now, None, [RowError(None, "", "file_missing")])
        return True
    if job.created_by is None:
        _finish(import_id, now, None, [RowError(None, "", "no_importer")])
        _remove_file(import_id)
        return True
    try:
        with job.file.open("rb") as fileobj:
            result = run_job(job, fileobj, claim=now, by=job.created_by)
    except PermissionDenied:
        _finish(import_id, now, None, [RowError(None, "", "not_allowed")])
    except (DatabaseError, OSError):
        # Worth another try (the task retries): give the job back to the queue.
        SurveyImport.objects.filter(pk=import_id, status=State.RUNNING).update(
            status=State.QUEUED, claimed_at=timezone.now()
        )
        raise
    except Exception:
        log.exception("survey import %s failed", import_id)
        SurveyImport.objects.filter(pk=import_id).update(
            status=State.FAILED,
            finished_at=timezone.now(),
            claimed_at=None,
            errors=[RowError(None, "", "interrupted").as_stored()],
            error_count=1,
        )
    else:
        if result is None:
            return False
    _remove_file(import_id)
    return True


def survey_imports_requeue(*, now) -> list[int]:
    """Jobs left behind: ``queued`` past a lease (their task was never delivered) or
    ``running`` with an expired lease (their worker died). Puts them back in the queue
    and returns their ids for the sweeper to send; gives up on those claimed too often.
    Also removes the files of finished jobs that a dead worker left behind."""
    expired = outbox.lease_expired_before(now)
    stale = Q(status__in=[State.QUEUED, State.RUNNING], claimed_at__lt=expired) | Q(
        status=State.QUEUED, claimed_at__isnull=True, created_at__lt=expired
    )
    exhausted = SurveyImport.objects.filter(
        stale, attempts__gte=settings.SURVEY_IMPORT_MAX_ATTEMPTS
    )
    for job_id in list(exhausted.values_list("pk", flat=True)):
        SurveyImport.objects.filter(stale, pk=job_id).update(
            status=State.FAILED,
            finished_at=now,
            claimed_at=None,
            errors=[RowError(None, "", "interrupted").as_stored()],
            error_count=1,
        )
    ids = list(
        SurveyImport.objects.filter(stale)
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.OUTBOX_SWEEP_BATCH]
    )
    SurveyImport.objects.filter(stale, pk__in=ids).update(status=State.QUEUED, claimed_at=now)
    leftovers = SurveyImport.objects.filter(
        status__in=[State.SUCCEEDED, State.FAILED], finished_at__lt=expired
    ).exclude(file="")
    for job_id in list(leftovers.values_list("pk", flat=True)[:100]):
        _remove_file(job_id)
    return ids
