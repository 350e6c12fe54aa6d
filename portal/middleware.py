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
