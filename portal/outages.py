"""A database that cannot be reached answers 503, never a 500 or a traceback.

While PostgreSQL restarts or fails over, every request that needs it fails. That is
an outage of a few seconds, not a fault of the request: the API answers 503 in JSON
and pages the "briefly unavailable" page, both in the reader's language and with
``Retry-After``. Connections are health-checked (``conn_health_checks``), so the
portal recovers by itself once the database answers again.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

# What Django raises when the server is unreachable, restarting, or dropped the
# connection (psycopg's connection errors arrive as these two).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def unavailable_message() -> str:
    return _("Frontline Voice is briefly unavailable. Please try again in a moment.")


def unavailable_response(request) -> HttpResponse:
    """The 503 for ``request``: JSON under /api/, the page otherwise. Renders nothing
    that needs the database or a request context."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": unavailable_message()}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request) -> HttpResponse:
    """``handler500``: the 503 when what failed was reaching the database (also from a
    middleware, such as a session being loaded), Django's 500 page otherwise."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return unavailable_response(request)
    return defaults.server_error(request)
