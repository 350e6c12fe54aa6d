"""The signed-in person's own settings: display name, language and e-mail notifications."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import services
from portal.forms import add_service_errors
from portal.models import Language, User


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """Remember the language in the cookie, so pages after logout keep speaking it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _model_field(name: str, **kwargs) -> forms.Field:
    # Labels and limits come from the model, so the form and user_update() agree.
    return User._meta.get_field(name).formfield(**kwargs)


class ProfileForm(forms.Form):
    """What people may change about themselves. A plain form, not a ModelForm: the
    service writes, and an invalid form must leave ``request.user`` untouched."""

    FIELDS = ("display_name", "language", "email_notifications")

    display_name = _model_field(
        "display_name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    # Each language named in itself, like the switcher in the header: someone who
    # cannot read the current page can still find their own.
    language = _model_field(
        "language",
        choices=[
            (code, translation.get_language_info(code)["name_local"]) for code in Language.values
        ],
    )
    email_notifications = _model_field(
        "email_notifications",
        help_text=gettext_lazy(
            "Notifications always appear in the portal. With this on, each one is also "
            "e-mailed to you."
        ),
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> "ProfileForm":
        return cls(data, initial={name: getattr(user, name) for name in cls.FIELDS})


@login_required
def profile(request):
    user = request.user
    form = ProfileForm.for_user(user, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.user_update(user=user, **form.cleaned_data)
        except ValidationError as exc:
            # Rows written around the model's validation (bulk imports) can fail on a
            # field this page does not show; say so instead of failing with a 500.
            add_service_errors(form, exc)
            user.refresh_from_db(fields=list(ProfileForm.FIELDS))
        else:
            # The message and every page from here on speak the new language.
            translation.activate(user.language)
            messages.success(request, _("Your profile was saved."))
            response = redirect("profile")
            set_language_cookie(response, user.language)
            return response
    return render(request, "portal/profile.html", {"form": form})
