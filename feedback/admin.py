from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from feedback import services
from feedback.models import Category, Comment, Insight, InsightEvent, Status
from feedback.selectors import can_manage, comments_visible_to, insights_visible_to
from feedback.survey import admin as survey_admin  # noqa: F401 -- registers the survey admin
from portal.admin import BilingualAdmin, RoleAdmin
from portal.models import Role


@admin.register(Category)
class CategoryAdmin(BilingualAdmin):
    list_display = ["code", "name_en", "name_ar", "is_active"]
    list_filter = ["is_active"]


class ReadOnlyInline(admin.TabularInline):
    """Shown to whoever may view the insight (the parent admin decides); never edited."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return self.admin_site.get_model_admin(self.parent_model).has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InsightEventInline(ReadOnlyInline):
    model = InsightEvent
    fields = ["created_at", "kind", "actor_display", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name_plural = _("status history")

    @admin.display(description=_("by"))
    def actor_display(self, event):
        if event.actor:
            return event.actor.display_name
        return _("the submitter") if event.by_submitter else _("the system")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = ["created_at", "author_display", "is_internal", "body"]
    readonly_fields = fields

    @admin.display(description=_("author"))
    def author_display(self, comment):
        if comment.author:
            return comment.author.display_name
        return _("the submitter") if comment.by_submitter else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class OverdueFilter(admin.SimpleListFilter):
    title = _("first response")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=Insight.objects.overdue().values("pk"))
        return queryset


def _bulk_action(to_status: str, label):
    def action(modeladmin, request, queryset):
        try:
            changed = services.insights_bulk_transition(
                ids=queryset.values_list("pk", flat=True), by=request.user, to_status=to_status
            )
        except ValidationError as exc:
            modeladmin.message_user(
                request, _("Nothing was changed: %s") % " ".join(exc.messages), messages.ERROR
            )
        else:
            modeladmin.message_user(
                request,
                ngettext("%(count)s insight changed.", "%(count)s insights changed.", changed)
                % {"count": changed},
            )

    action.__name__ = f"mark_{to_status}"
    return admin.action(description=label)(action)


@admin.register(Insight)
class InsightAdmin(RoleAdmin):
    """Managers triage here too. The author is shown only for named insights, and the
    author fields themselves are never part of the form."""

    view_roles = (Role.MANAGER,)
    change_roles = (Role.MANAGER, Role.ADMIN)
    list_display = [
        "id",
        "title",
        "status",
        "category",
        "channel",
        "location",
        "endorsements",
        "age",
        "overdue",
        "author_display",
    ]
    list_filter = ["status", OverdueFilter, "category", "channel", "location__region", "privacy"]
    list_select_related = ["category", "channel", "location", "author"]
    search_fields = ["title", "pain_point", "suggested_fix"]
    date_hierarchy = "created_at"
    inlines = [InsightEventInline, CommentInline]
    fields = [
        "title",
        "pain_point",
        "suggested_fix",
        "channel",
        "category",
        "location",
        "team",
        "customer_impact",
        "frequency",
        "standard",
        "privacy",
        "author_display",
        "status",
        "owner_department",
        "assignee",
        "created_at",
        "first_response_at",
        "implemented_at",
        "duplicate_of",
    ]
    readonly_fields = [
        "title",
        "pain_point",
        "suggested_fix",
        "location",
        "team",
        "privacy",
        "author_display",
        "status",
        "created_at",
        "first_response_at",
        "implemented_at",
        "duplicate_of",
    ]
    raw_id_fields = ["assignee"]
    actions = [
        _bulk_action(Status.UNDER_REVIEW, _("Mark as under review")),
        _bulk_action(Status.ACCEPTED, _("Accept")),
        _bulk_action(Status.IN_PROGRESS, _("Mark as in progress")),
        _bulk_action(Status.IMPLEMENTED, _("Mark as implemented today")),
    ]

    def get_queryset(self, request):
        return insights_visible_to(request.user).with_counts()

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CommentInline):
            # Internal comments only for managers in scope: the same rule as everywhere.
            kwargs["queryset"] = comments_visible_to(request.user, obj)
        return kwargs

    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        # The insight's timeline (InsightEvent) is its record of changes, nameless for
        # an anonymous submitter; the admin's own log would name whoever saved.
        return None

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_manage(request.user, obj))

    @admin.display(description=_("author"))
    def author_display(self, insight):
        author = insight.public_author
        return author.display_name if author else _("Anonymous")

    @admin.display(description=_("me too"), ordering="endorsement_count")
    def endorsements(self, insight):
        return insight.endorsement_count

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, insight):
        from django.utils.timesince import timesince

        return timesince(insight.created_at)

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, insight):
        return insight.is_overdue

    def save_model(self, request, obj, form, change):
        # Triage fields go through the service, which checks scope and records history.
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if changes:
            services.insight_triage(insight=obj, by=request.user, **changes)
