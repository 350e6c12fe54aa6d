"""Password validators whose messages are translated in every language we ship."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's validator with a message our Arabic catalog translates.

    Django 5.2 changed this msgid and its own Arabic catalog still has the old
    one, so the error came out in English for Arabic readers.
    """

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
