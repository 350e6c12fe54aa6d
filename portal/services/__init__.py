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
    notify_recipients,
)
from portal.services.users import (
    USER_UPDATE_FIELDS,
    set_admin_access,
    user_create,
    user_register,
    user_update,
)

__all__ = [
    "USER_UPDATE_FIELDS",
    "Recipient",
    "notification_emails_requeue",
    "notification_emails_requeued",
    "notification_send_email",
    "notifications_mark_read",
    "notifications_without_email",
    "notify",
    "notify_many",
    "notify_recipients",
    "set_admin_access",
    "user_create",
    "user_register",
    "user_update",
]
