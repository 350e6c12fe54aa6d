"""Survey data in the admin: responses (scoped; every write through the services, so
the rollup stays right) and imports (read-only)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from feedback.models import SurveyImport, SurveyResponse
from feedback.survey.responses import survey_response_write, survey_responses_delete
from feedback.survey.selectors import survey_imports_visible_to, survey_responses_visible_to
from portal.admin import RoleAdmin
from portal.models import Role

WRITTEN = [
    "source",
    "external_id",
    "metric",
    "score",
    "responded_at",
    "channel",
    "location",
    "team",
    "category",
    "comment",
    "language",
]


class SurveyResponseForm(forms.ModelForm):
    """Checks the row as an import would (codes, ranges, dates, the manager's scope),
    without writing, so a refusal shows next to its field."""

    class Meta:
        model = SurveyResponse
        fields = WRITTEN

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.request is None:
            return cleaned
        values = {name: cleaned.get(name, getattr(self.instance, name, None)) for name in WRITTEN}
        try:
            survey_response_write(by=self.request.user, values=values, dry_run=True)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(SurveyResponse)
class SurveyResponseAdmin(RoleAdmin):
    view_roles = (Role.MANAGER,)
    change_roles = (Role.MANAGER, Role.ADMIN)
    form = SurveyResponseForm
    list_display = [
        "external_id",
        "source",
        "metric",
        "score",
        "responded_at",
        "channel",
        "location",
        "team",
        "category",
        "short_comment",
    ]
    list_filter = ["metric", "channel", "location", "source"]
    list_select_related = ["channel", "location", "team", "category"]
    search_fields = ["external_id", "comment"]
    autocomplete_fields = ["channel", "location", "team", "category"]
    date_hierarchy = "responded_at"
    show_full_result_count = False
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return survey_responses_visible_to(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class WithRequest(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return WithRequest

    def get_readonly_fields(self, request, obj=None):
        # Source and external ID are what identifies a response across imports.
        fields = list(self.readonly_fields)
        return [*fields, "source", "external_id"] if obj is not None else fields

    @admin.display(description=_("comment"))
    def short_comment(self, response):
        return (response.comment[:80] + "…") if len(response.comment) > 80 else response.comment

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in WRITTEN}
        survey_response_write(by=request.user, values=values)
        obj.pk = SurveyResponse.objects.values_list("pk", flat=True).get(
            source=obj.source.strip().lower(), external_id=obj.external_id.strip()
        )

    def delete_model(self, request, obj):
        survey_responses_delete(by=request.user, queryset=SurveyResponse.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        survey_responses_delete(by=request.user, queryset=queryset)


@admin.register(SurveyImport)
class SurveyImportAdmin(RoleAdmin):
    """The record of each import; jobs are started on the import page or by the API."""

    view_roles = (Role.MANAGER, Role.ADMIN)
    change_roles = ()
    list_display = [
        "id",
        "file_name",
        "created_by",
        "status",
        "dry_run",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "created_at",
    ]
    list_filter = ["status", "dry_run", "on_error"]
    list_select_related = ["created_by"]
    search_fields = ["file_name", "sha256"]
    exclude = ["file"]

    def get_queryset(self, request):
        return survey_imports_visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
