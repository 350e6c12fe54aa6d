"""Content negotiation for table exports: ``?format=csv|xlsx`` or an ``Accept`` header.

The renderers only make DRF accept the formats; a view that offers them returns
:func:`portal.exports.table_response` itself when ``request.accepted_renderer.format``
is one of them (see :class:`ExportMixin`). Errors are always answered in JSON.
"""

from rest_framework.renderers import BaseRenderer, JSONRenderer

from portal.exports import EXPORT_FORMATS, XLSX_TYPE


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("views return portal.exports.table_response for CSV")


class XLSXRenderer(BaseRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("views return portal.exports.table_response for XLSX")


class ExportMixin:
    """A DRF view that also answers as a CSV or XLSX table.

    Call :meth:`export_format` in the handler: it gives ``"csv"``/``"xlsx"`` when the
    client asked for a table, else ``None``.
    """

    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]

    def export_format(self, request) -> str | None:
        fmt = getattr(request.accepted_renderer, "format", None)
        return fmt if fmt in EXPORT_FORMATS else None

    def handle_exception(self, exc):
        # An error is JSON whatever table was asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
