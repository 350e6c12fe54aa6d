import datetime

from celery import shared_task

from training import services


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def send_training_reminders_task(today: str | None = None) -> dict:
    """The daily run: recertification of expired passes, then reminders and escalations.
    Idempotent: a second run on the same day sends and creates nothing."""
    day = datetime.date.fromisoformat(today) if today else None
    recertified = services.recertify_expired(today=day)
    counts = services.send_reminders(today=day)
    return {
        "recertification": recertified,
        "reminders": counts.reminders,
        "escalations": counts.escalations,
    }
