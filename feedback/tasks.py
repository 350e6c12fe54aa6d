from celery import shared_task

from feedback import services


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def remind_overdue_insights_task() -> int:
    return services.remind_overdue_insights()
