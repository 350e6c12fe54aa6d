from smtplib import SMTPException

from celery import shared_task

from portal import services
from portal.models import Notification


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=6,
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
