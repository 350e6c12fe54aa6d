"""Writes of single responses (the admin) and deletes: through the import service for
writes, so one set of rules checks every row, and with the rollup adjusted in the
same transaction for deletes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from feedback.models import SurveyResponse
from feedback.survey import rollups
from feedback.survey.importing import ImportResult, survey_import_rows
from portal.scope import in_scope


def _codes(values: dict) -> dict:
    """Form values (model instances for related objects) as an import row (codes)."""
    row = {}
    for name, value in values.items():
        row[name] = getattr(value, "code", value) if value is not None else ""
    return row


def survey_response_write(*, by, values: dict, dry_run: bool = False) -> ImportResult:
    """Create or update one response from ``values`` (field name → value or related
    object), checked like an imported row. A bad value raises ``ValidationError``
    naming its field; nothing is written then."""
    result = survey_import_rows(rows=[_codes(values)], by=by, dry_run=dry_run)
    if result.refused:
        errors: dict[str, list[str]] = {}
        for error in result.errors:
            errors.setdefault(error.column or "__all__", []).append(error.message)
        raise ValidationError(errors)
    return result


def survey_responses_delete(*, by, queryset: QuerySet[SurveyResponse]) -> int:
    """Delete the responses of ``queryset`` that lie in ``by``'s scope, and take them
    out of the rollup. Returns how many were deleted."""
    if not (by.is_authenticated and by.is_active and by.is_manager):
        raise PermissionDenied(_("Only managers change survey data."))
    connection = rollups.connection_for_writes()
    with transaction.atomic(using=connection.alias):
        rollups.write_lock(connection)
        # The same rows in both statements: no other survey write runs under the lock.
        doomed = SurveyResponse.objects.filter(
            pk__in=in_scope(queryset, by).order_by().values("pk")
        )
        rollups.rollup_subtract(doomed)
        deleted, _per_model = doomed.delete()
    return deleted
