from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


class RefuseUnreadableQueryMiddleware:
    """A query string no database column can hold (a NUL character) is refused with
    400, on every page, admin list and API view alike, before any filter reaches the
    database (where it would be a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, value in _pairs(request.GET)):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("The query string holds a character that is not allowed.")},
                    status=400,
                )
            return render(request, "400.html", status=400)
        return self.get_response(request)


class ApiBodyTooLargeMiddleware:
    """An API body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (uploaded files aside) is
    answered 413 in JSON, before it is read; Django's own refusal is an HTML 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and _too_large(request):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
            return JsonResponse(
                {"detail": _("The request body is larger than %(limit)s MB.") % {"limit": limit}},
                status=413,
            )
        return self.get_response(request)


def _too_large(request) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return False


def _pairs(query):
    for key, values in query.lists():
        for value in values:
            yield key, value


class UserLanguageMiddleware:
    """Signed-in people see the portal in their preferred language.

    API calls that say which language they want (Accept-Language) get that one,
    so a client can ask for Arabic errors whatever the account's setting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        explicit_api_language = request.path.startswith("/api/") and request.headers.get(
            "Accept-Language"
        )
        if user is not None and user.is_authenticated and not explicit_api_language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
