"""Training in the admin. Writes go through the services; published versions, attempts
and acknowledgements are read-only here, and nothing of them can be deleted. Managers
see the records of the people in their scope (the access functions)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin import RoleAdmin
from portal.models import Role
from training import services
from training.errors import Conflict
from training.models import (
    Acknowledgement,
    Assignment,
    AssignmentRule,
    Attempt,
    Module,
    Question,
    Reminder,
    Standard,
    StandardVersion,
)
from training.selectors import (
    acknowledgements_visible_to,
    assignments_visible_to,
    attempts_visible_to,
    is_author,
    modules_visible_to,
    rules_visible_to,
    standards_visible_to,
    versions_visible_to,
)

AUTHORS = (Role.TRAINER, Role.ADMIN)


class ReadOnlyAdmin(RoleAdmin):
    """Records that are evidence: looked at, never added, changed or deleted here."""

    view_roles = (Role.MANAGER, Role.TRAINER, Role.ADMIN)
    change_roles = ()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _service_errors(modeladmin, request, exc) -> None:
    text = " ".join(getattr(exc, "messages", None) or [str(getattr(exc, "message", exc))])
    modeladmin.message_user(request, _("Nothing was changed: %s") % text, messages.ERROR)


class VersionInline(admin.TabularInline):
    model = StandardVersion
    fields = ["number", "change", "effective_date", "published_at", "change_notes"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return versions_visible_to(request.user)


@admin.register(Standard)
class StandardAdmin(RoleAdmin):
    view_roles = (Role.MANAGER,)
    change_roles = AUTHORS
    list_display = ["code", "title_en", "title_ar", "department", "current_version", "is_active"]
    list_filter = ["is_active", "department", "channels"]
    search_fields = ["code", "title_en", "title_ar"]
    list_select_related = ["department"]
    filter_horizontal = ["channels"]
    fields = ["code", "title_en", "title_ar", "channels", "department", "is_active"]
    inlines = [VersionInline]

    def get_queryset(self, request):
        current = (
            StandardVersion.objects.filter(standard=OuterRef("pk"))
            .in_force(timezone.localdate())
            .order_by("-number")
            .values("number")[:1]
        )
        return standards_visible_to(request.user).annotate(current_version=Subquery(current))

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    @admin.display(description=_("current version"), ordering="current_version")
    def current_version(self, standard):
        return standard.current_version

    def has_delete_permission(self, request, obj=None):
        return False  # a standard is made inactive, never deleted

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in ("title_en", "title_ar", "department")}
        if change:
            services.standard_update(
                standard=obj, by=request.user, is_active=data["is_active"], **fields
            )
        else:
            created = services.standard_create(by=request.user, code=data["code"], **fields)
            obj.pk = created.pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        services.standard_update(
            standard=form.instance, by=request.user, channels=form.cleaned_data["channels"]
        )


@admin.register(StandardVersion)
class StandardVersionAdmin(RoleAdmin):
    """Drafts are written and published here too; a published version is read-only."""

    view_roles = (Role.MANAGER,)
    change_roles = AUTHORS
    list_display = ["standard", "number", "change", "effective_date", "published_at"]
    list_filter = ["change", ("published_at", admin.EmptyFieldListFilter), "standard"]
    search_fields = ["standard__code", "standard__title_en", "standard__title_ar"]
    list_select_related = ["standard"]
    fields = ["standard", "number", "text_en", "text_ar", "change_notes", "change"]
    fields += ["effective_date", "created_by", "created_at", "published_by", "published_at"]
    actions = ["publish"]

    def get_queryset(self, request):
        return versions_visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        fixed = ["number", "created_by", "created_at", "published_by", "published_at"]
        if obj is None:
            return fixed
        if obj.is_published:
            return self.fields
        return ["standard", *fixed]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in services.VERSION_FIELDS if name in data}
        if change:
            services.version_update(version=obj, by=request.user, **fields)
        else:
            created = services.version_create_draft(
                standard=data["standard"], by=request.user, **fields
            )
            obj.pk, obj.number = created.pk, created.number
            obj._state.adding = False

    def delete_model(self, request, obj):
        services.version_delete_draft(version=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for version in queryset.drafts():
            services.version_delete_draft(version=version, by=request.user)

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request, queryset):
        if not is_author(request.user):
            raise PermissionDenied
        published = 0
        for version in queryset.drafts().order_by("standard", "number"):
            try:
                services.version_publish(version=version, by=request.user)
            except (Conflict, ValidationError) as exc:
                _service_errors(self, request, exc)
                return
            published += 1
        self.message_user(
            request,
            ngettext("%(count)s version published.", "%(count)s versions published.", published)
            % {"count": published},
        )


class QuestionInline(admin.StackedInline):
    """The quiz, with its answers, for its authors; edited on the module builder page,
    so that every change goes through the service and raises the revision."""

    model = Question
    fields = ["position", "kind", "text_en", "text_ar", "answers", "explanation_en"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return is_author(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("answer choices"))
    def answers(self, question):
        return " · ".join(
            f"{'✓' if c.correct else '✗'} {c.text_en} / {c.text_ar}" for c in question.choices.all()
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("choices")


@admin.register(Module)
class ModuleAdmin(RoleAdmin):
    view_roles = (Role.MANAGER,)
    change_roles = AUTHORS
    list_display = ["code", "title_en", "pass_mark", "max_attempts", "recertify_months"]
    list_display += ["revision", "is_active"]
    list_filter = ["is_active", "standards"]
    search_fields = ["code", "title_en", "title_ar"]
    filter_horizontal = ["standards"]
    fields = ["code", "title_en", "title_ar", "content_en", "content_ar", "standards"]
    fields += ["minutes", "pass_mark", "max_attempts", "recertify_months", "is_active"]
    fields += ["revision"]
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return modules_visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        return ["code", "revision"] if obj else ["revision"]

    def has_delete_permission(self, request, obj=None):
        return False  # made inactive, never deleted: attempts refer to it

    def save_model(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if k in services.MODULE_FIELDS}
        standards = form.cleaned_data["standards"]
        if change:
            services.module_update(module=obj, by=request.user, standards=standards, **data)
            return
        data.pop("is_active", None)
        created = services.module_create(
            by=request.user, code=form.cleaned_data["code"], standards=standards, **data
        )
        obj.pk, obj.revision = created.pk, created.revision
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass  # the standards were saved with the module; the quiz is not edited here


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    """Assigned on the Assign page or by rules; looked at here."""

    list_display = ["user", "module", "due_date", "reason", "status", "created_at", "closed_at"]
    list_filter = ["status", "reason", "module", "user__team"]
    search_fields = ["user__username", "user__display_name", "module__code"]
    list_select_related = ["user", "module"]
    raw_id_fields = ["user", "assigned_by", "rule"]
    date_hierarchy = "due_date"

    def get_queryset(self, request):
        return assignments_visible_to(request.user)


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(ReadOnlyAdmin):
    list_display = ["module", "team", "location", "role", "due_in_days", "created_at"]
    list_filter = ["module", "role"]
    list_select_related = ["module", "team", "location"]

    def get_queryset(self, request):
        return rules_visible_to(request.user)


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["user", "module", "number", "score", "passed", "submitted_at", "expires_on"]
    list_filter = ["passed", "module"]
    search_fields = ["user__username", "user__display_name", "module__code"]
    list_select_related = ["user", "module"]
    # The copy of the questions holds the answers: not shown here.
    exclude = ["questions", "answers"]
    raw_id_fields = ["assignment", "user"]

    def get_queryset(self, request):
        return attempts_visible_to(request.user)


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["user", "standard", "version", "language", "acknowledged_at", "text_sha256"]
    list_filter = ["standard", "language"]
    search_fields = ["user__username", "user__display_name", "standard__code"]
    list_select_related = ["user", "standard", "version__standard"]
    raw_id_fields = ["user", "version"]

    def get_queryset(self, request):
        return acknowledgements_visible_to(request.user)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "kind", "date", "created_at"]
    list_filter = ["kind", "date"]
    list_select_related = ["assignment__user", "assignment__module"]
    raw_id_fields = ["assignment"]

    def get_queryset(self, request):
        return Reminder.objects.filter(assignment__in=assignments_visible_to(request.user))
