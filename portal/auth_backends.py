"""The per-address log-in limit, for every way in (pages, admin, API token).

django-axes pauses one username from one address after a few failures. One address
trying many usernames (password spraying) is paused here, at a limit high enough for
a branch whose staff share one address. It is an authentication backend, listed
first, so every call to ``authenticate()`` passes through it: the log-in page, the
admin's log-in page and ``POST /api/v1/auth/token/`` alike.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import timezone


def failures_from_address(request) -> int:
    """Failed log-ins from the request's address, any username, within the cool-off."""
    from axes.helpers import get_client_ip_address
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(
        ip_address=get_client_ip_address(request), attempt_time__gte=since
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return failures or 0


class AddressLimitBackend:
    def authenticate(self, request, **credentials):
        if request is None or not settings.AXES_ENABLED:
            return None
        if failures_from_address(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # django-axes' middleware answers with the cool-off page (429) when this
            # flag is set, whichever view asked.
            request.axes_locked_out = True
            raise PermissionDenied
        # Nobody is authenticated here (and no get_user(): a session is never this
        # backend's), the next backends check the password.
        return None
