from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from portal import outbox, services
from portal.models import Notification


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    # Capped below the broker's visibility timeout (portal.settings), so a retry
    # waiting in a worker is never handed out a second time meanwhile.
    retry_backoff_max=settings.CELERY_RETRY_BACKOFF_MAX,
    max_retries=settings.EMAIL_MAX_ATTEMPTS - 1,
    soft_time_limit=settings.EMAIL_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.EMAIL_TASK_TIME_LIMIT,
)
def send_notification_email_task(self, notification_id: int) -> bool:
    try:
        return services.notification_send_email(notification_id=notification_id)
    except (SMTPException, OSError):
        if self.request.retries >= self.max_retries:
            Notification.objects.filter(pk=notification_id).update(
                email_status=Notification.EmailStatus.FAILED
            )
        raise


@outbox.register_sweeper("notification-emails")
def requeue_notification_emails(now) -> int:
    ids = services.notification_emails_requeue(now=now)
    queued = [pk for pk in ids if outbox.enqueue(send_notification_email_task, pk)]
    services.notification_emails_requeued(ids=queued, now=now)
    return len(queued)


@shared_task
def sweep_outbox_task() -> dict[str, int]:
    """Re-queue background work left pending or abandoned by a dead worker."""
    return outbox.sweep(timezone.now())
