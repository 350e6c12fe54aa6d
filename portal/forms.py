from django.contrib.auth import forms as auth_forms
from django.utils import translation


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Sends the reset e-mail in the recipient's language, not the requester's."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
