from rest_framework import serializers

from portal.text import clean_text


class TextField(serializers.CharField):
    """Text people type, cleaned (portal.text) before it is checked: text that is only
    invisible characters is blank, and the limits count what will be stored."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = clean_text(data, multiline=self.multiline)
        return super().to_internal_value(data)
