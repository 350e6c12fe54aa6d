from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_noop

# Django adds no label suffix (the colon) after a label that ends in one of these
# characters, and translates the list: the Arabic list adds the Arabic question mark
# "؟" (Django's own Arabic catalog leaves it out, so "؟:" would show). Named here so
# that the project's catalog, which takes precedence over Django's, carries it.
LABEL_END_PUNCTUATION = gettext_noop(":?.!")


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Sends the reset e-mail in the recipient's language, not the requester's."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: next to its field where the form
    has one, at the top otherwise."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
