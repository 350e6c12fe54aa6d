"""Model fields for text people type: cleaned (portal.text) whenever the value is
validated (``full_clean``, model forms, the admin) and again whenever it is saved, so
no write path stores a control character or a bidi override."""

from django.db import models

from portal.text import clean_text


class _Cleaned:
    multiline = False

    def to_python(self, value):
        return clean_text(super().to_python(value), multiline=self.multiline)

    def pre_save(self, model_instance, add):
        value = clean_text(super().pre_save(model_instance, add), multiline=self.multiline)
        setattr(model_instance, self.attname, value)
        return value


class CleanCharField(_Cleaned, models.CharField):
    """A single line of user text."""


class CleanTextField(_Cleaned, models.TextField):
    """User text of several lines."""

    multiline = True
