from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.outages import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, unavailable_message

JSON_PARSE_ERROR = "JSON parse error - "


def exception_handler(exc, context):
    """Service-layer validation errors become 400 responses with field errors, and a
    database that cannot be reached a 503.

    DRF's message for a malformed JSON body is not translatable; say it in the
    reader's language, keeping the parser's position details.
    """
    if isinstance(exc, DATABASE_UNAVAILABLE):
        # The database is restarting or unreachable: a moment's outage, not a fault of
        # the request (portal.outages). Django logs the 503 like any server error.
        return Response(
            {"detail": unavailable_message()},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith(JSON_PARSE_ERROR):
        exc = exceptions.ParseError(
            _("The request body is not valid JSON: %(error)s")
            % {"error": str(exc.detail).removeprefix(JSON_PARSE_ERROR)}
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                field: [str(message) for error in errors for message in error.messages]
                for field, errors in exc.error_dict.items()
            }
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    response = drf_exception_handler(exc, context)
    if response is not None:
        # Messages may quote the request ("“…” is not a valid choice"); a lone
        # surrogate quoted back cannot be encoded as UTF-8.
        response.data = _encodable(response.data)
    return response


def _encodable(data):
    if isinstance(data, str):
        return data.encode("utf-8", "replace").decode("utf-8")
    if isinstance(data, dict):
        return {key: _encodable(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_encodable(value) for value in data]
    return data
