"""Writes for the organisation, people and notifications. Views, API, admin,
commands and tasks call these and never change those rows themselves."""

from portal.services.notifications import (
    Recipient,
    notification_emails_requeue,
    notification_emails_requeued,
    notification_send_email,
    notifications_mark_read,
    notifications_without_email,
    notify,
    notify_many,
)
from portal.services.users import set_admin_access, user_create, user_update

__all__ = [
    "Recipient",
    "notification_emails_requeue",
    "notification_emails_requeued",
    "notification_send_email",
    "notifications_mark_read",
    "notifications_without_email",
    "notify",
    "notify_many",
    "set_admin_access",
    "user_create",
    "user_update",
]
