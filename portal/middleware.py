from django.utils import translation


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
