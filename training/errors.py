"""What training services raise when a request conflicts with what is recorded."""

from django.utils.translation import gettext_lazy as _


class Conflict(Exception):
    """The request cannot be done in the current state (answered 409): a published
    version edited, a quiz submitted twice or past its attempt limit."""

    default_message = _("This cannot be done in the current state.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class Immutable(Conflict):
    """A record that is never changed (a published version, an acknowledgement, a
    submitted attempt) was about to be changed or deleted."""

    default_message = _("This record is permanent and cannot be changed or deleted.")
