from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _

from portal import results_cache, services
from portal.forms import add_service_errors
from portal.models import Channel, Department, Location, Notification, Region, Role, Team, User

admin.site.site_header = _("Frontline Voice administration")
admin.site.site_title = _("Frontline Voice")
admin.site.index_title = _("Administration")


# Columns no admin may filter, search or sort on, whatever the model: the keyed hashes
# and sealed ids that stand in for anonymous people (a filter on one groups a person's
# reports), and the normalised copies of text.
HIDDEN_LOOKUPS = frozenset(
    {
        "author_token",
        "author_sealed",
        "recipient_token",
        "recipient_sealed",
        "digest",
        "search_text",
        "match_text",
        "comment_match",
    }
)


class RoleAdmin(admin.ModelAdmin):
    """Admin pages open by role, not by Django's per-model permissions.

    ``view_roles`` may look, ``change_roles`` may add, change and delete. Anyone
    else, staff or not, is refused (deny by default). No lookup through a hidden
    column is allowed (``HIDDEN_LOOKUPS``), and an error from a service while saving
    comes back on the form instead of a 500.
    """

    view_roles: tuple[str, ...] = (Role.ADMIN,)
    change_roles: tuple[str, ...] = (Role.ADMIN,)

    def lookup_allowed(self, lookup, value, request=None):
        # The admin filters on any field of the model from the URL.
        if HIDDEN_LOOKUPS & set(lookup.split(LOOKUP_SEP)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Saving runs in a transaction (Django's changeform_view): a service that refuses
        # the change raises, everything is rolled back, and the form is shown again with
        # the service's errors next to its fields.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            if request.method != "POST" or getattr(request, "_service_errors", None):
                raise
            request._service_errors = exc
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        errors = getattr(request, "_service_errors", None)
        if errors is None:
            return form

        class WithServiceErrors(form):
            def clean(self):
                cleaned = super().clean()
                add_service_errors(self, errors)
                return cleaned

        return WithServiceErrors

    def _has(self, request, roles) -> bool:
        user = request.user
        return user.is_active and user.is_authenticated and user.has_role(*roles)

    def has_module_permission(self, request):
        return self._has(request, self.view_roles + self.change_roles)

    def has_view_permission(self, request, obj=None):
        return self._has(request, self.view_roles + self.change_roles)

    def has_add_permission(self, request):
        return self._has(request, self.change_roles)

    def has_change_permission(self, request, obj=None):
        return self._has(request, self.change_roles)

    def has_delete_permission(self, request, obj=None):
        return self._has(request, self.change_roles)


class BilingualAdmin(RoleAdmin):
    view_roles = (Role.MANAGER, Role.TRAINER)
    list_display = ["code", "name_en", "name_ar"]
    search_fields = ["code", "name_en", "name_ar"]


@admin.register(Region)
class RegionAdmin(BilingualAdmin):
    pass


@admin.register(Location)
class LocationAdmin(BilingualAdmin):
    list_display = ["code", "name_en", "name_ar", "region", "kind"]
    list_filter = ["region", "kind"]
    list_select_related = ["region"]


@admin.register(Team)
class TeamAdmin(BilingualAdmin):
    list_display = ["code", "name_en", "name_ar", "location", "channels_display"]
    list_filter = ["location__region", "location", "channels"]
    list_select_related = ["location"]
    autocomplete_fields = ["location"]
    filter_horizontal = ["channels"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("channels")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The channels a team serves decide which standards cover its people.
        results_cache.data_changed(results_cache.TRAINING)

    @admin.display(description=_("channels served"))
    def channels_display(self, team):
        return ", ".join(channel.name for channel in team.channels.all())


@admin.register(Department)
class DepartmentAdmin(BilingualAdmin):
    pass


@admin.register(Channel)
class ChannelAdmin(BilingualAdmin):
    list_display = ["code", "name_en", "name_ar", "is_active"]
    list_filter = ["is_active"]


class RolesFormMixin(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class PortalUserChangeForm(RolesFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = self.instance.roles


class PortalUserCreationForm(RolesFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email", "language", "team")


@admin.register(User)
class UserAdmin(RoleAdmin, BaseUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = [
        "username",
        "display_name",
        "email",
        "team",
        "language",
        "roles_display",
        "is_active",
    ]
    list_filter = ["role_links__role", "language", "is_active", "team__location__region"]
    search_fields = ["username", "display_name", "email"]
    list_select_related = ["team"]
    ordering = ["username"]
    autocomplete_fields = ["team"]
    filter_horizontal = ["managed_locations"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Person"),
            {"fields": ["display_name", "email", "language", "team", "email_notifications"]},
        ),
        (_("Roles and scope"), {"fields": ["roles", "managed_locations", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "display_name",
                    "email",
                    "language",
                    "team",
                    "roles",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        from portal.selectors import users_visible_to

        return users_visible_to(request.user)

    @admin.display(description=_("roles"))
    def roles_display(self, obj):
        return ", ".join(str(Role(r).label) for r in obj.roles)

    def save_model(self, request, obj, form, change):
        # Through the services, so that whoever follows people joining or moving
        # (training's assignment rules, portal.hooks) hears of it.
        if not change:
            services.user_register(user=obj, roles=form.cleaned_data.get("roles", []))
            return
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.USER_UPDATE_FIELDS
        }
        if "username" in form.changed_data:
            obj.save(update_fields=["username"])
        services.user_update(user=obj, **fields)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Roles decide staff and superuser status: keep them in step through the service.
        services.user_update(user=form.instance, roles=form.cleaned_data.get("roles", []))
        if not change:
            # Someone added here is welcomed once, as through user_create.
            services.notify(
                recipient=form.instance,
                kind="welcome",
                context={"username": form.instance.username},
                dedupe_key="welcome",
            )


@admin.register(Notification)
class NotificationAdmin(RoleAdmin):
    list_display = ["title", "recipient", "created_at", "read_at", "email_status"]
    list_filter = ["email_status", "created_at"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    exclude = ["recipient_token"]
    search_fields = ["recipient__username"]

    def get_queryset(self, request):
        # Notifications to anonymous stand-ins are not listed at all: their times and
        # grouping are all an administrator could learn from them.
        return super().get_queryset(request).filter(recipient__isnull=False)

    @admin.display(description=_("notification"))
    def title(self, notification):
        return notification.title  # rendered in the reader's language, not the kind's code

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
