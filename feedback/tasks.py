from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from feedback import services
from feedback.survey import jobs
from portal import outbox


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def remind_overdue_insights_task() -> int:
    return services.remind_overdue_insights()


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=10,
    retry_backoff_max=settings.CELERY_RETRY_BACKOFF_MAX,
    max_retries=5,
)
def run_survey_import_task(import_id: int) -> bool:
    """Run one survey import job (ids in; a job already taken or finished is left alone)."""
    return jobs.survey_import_run(import_id=import_id)


@outbox.register_sweeper("survey-imports")
def requeue_survey_imports(now) -> int:
    ids = jobs.survey_imports_requeue(now=now)
    for import_id in ids:
        outbox.enqueue(run_survey_import_task, import_id)
    return len(ids)
