from portal.navigation import items_for
from portal.selectors import unread_notification_count


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": unread_notification_count(user),
        "nav_items": items_for(user),
    }
