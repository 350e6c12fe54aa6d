from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils import translation


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
