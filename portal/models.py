from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.fields import CleanCharField

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    _("Use letters, digits, hyphens and underscores only."),
)


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")


class Role(models.TextChoices):
    FRONTLINE = "frontline", _("Frontline")
    TRAINER = "trainer", _("Trainer")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


class BilingualNamed(models.Model):
    """An object with a stable code and a name in Arabic and English."""

    code = models.SlugField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name_en = CleanCharField(_("name (English)"), max_length=200)
    name_ar = CleanCharField(_("name (Arabic)"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to the other one."""
        if (get_language() or "en").startswith("ar"):
            return self.name_ar or self.name_en
        return self.name_en or self.name_ar


class Region(BilingualNamed):
    class Meta(BilingualNamed.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Location(BilingualNamed):
    class Kind(models.TextChoices):
        BRANCH = "branch", _("Branch")
        CALL_CENTRE = "call_centre", _("Call centre")
        STORE = "store", _("Store")
        HUB = "hub", _("Delivery hub")
        OFFICE = "office", _("Head office")

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="locations", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BRANCH)

    class Meta(BilingualNamed.Meta):
        verbose_name = _("location")
        verbose_name_plural = _("locations")


class Team(BilingualNamed):
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="teams", verbose_name=_("location")
    )

    class Meta(BilingualNamed.Meta):
        verbose_name = _("team")
        verbose_name_plural = _("teams")


class Department(BilingualNamed):
    class Meta(BilingualNamed.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Channel(BilingualNamed):
    is_active = models.BooleanField(_("active"), default=True)

    class Meta(BilingualNamed.Meta):
        verbose_name = _("channel")
        verbose_name_plural = _("channels")


class User(AbstractUser):
    """A member of staff. Roles live in :class:`UserRole`; a user may hold several."""

    first_name = None
    last_name = None
    display_name = CleanCharField(_("display name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    managed_locations = models.ManyToManyField(
        Location,
        blank=True,
        related_name="managers",
        verbose_name=_("managed locations"),
        help_text=_("A manager's scope. Empty means the whole organisation."),
    )
    email_notifications = models.BooleanField(_("e-mail notifications"), default=True)

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.username

    def get_full_name(self):
        return self.display_name or self.username

    def get_short_name(self):
        return self.display_name or self.username

    @property
    def roles(self) -> list[str]:
        """Role codes, read once per instance (or from a prefetch of ``role_links``)."""
        cache = getattr(self, "_roles_cache", None)
        if cache is None:
            if not self.pk:
                return []
            prefetched = getattr(self, "_prefetched_objects_cache", {}).get("role_links")
            links = prefetched if prefetched is not None else self.role_links.all()
            cache = sorted(link.role for link in links)
            self._roles_cache = cache
        return cache

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_manager(self) -> bool:
        return self.has_role(Role.MANAGER, Role.ADMIN)

    @property
    def is_portal_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def location(self):
        return self.team.location if self.team_id else None


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_links")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="userrole_unique_user_role"),
        ]
        indexes = [models.Index(fields=["role"], name="userrole_role_idx")]

    def __str__(self):
        return self.get_role_display()


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification, optionally e-mailed.

    It is addressed either to a user or, for the author of an anonymous insight,
    to the keyed hash that stands in for them (``recipient_token``), so no row
    ties a person to what they posted anonymously.
    """

    class EmailStatus(models.TextChoices):
        NOT_WANTED = "not_wanted", _("Not e-mailed")
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    recipient_token = models.CharField(max_length=64, blank=True, db_index=True)
    # The anonymous recipient's id, encrypted (portal.anonymity): what the e-mail task
    # opens to find them in one lookup. Never shown, filtered or exported.
    recipient_sealed = models.CharField(max_length=120, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=50)
    context = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.NOT_WANTED
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # When the e-mail was last claimed or queued again: the lease of portal.outbox.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_unique_user_dedupe",
            ),
            models.UniqueConstraint(
                fields=["recipient_token", "dedupe_key"],
                condition=~models.Q(dedupe_key="") & ~models.Q(recipient_token=""),
                name="notification_unique_token_dedupe",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(recipient_token=""),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # The outbox sweeper looks for e-mails still to send; they are few.
            models.Index(
                fields=["email_status", "email_claimed_at"],
                condition=models.Q(email_status__in=["pending", "sending"]),
                name="notification_outbox_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url or reverse("notifications")

    @cached_property
    def rendered(self):
        """Title and body in the active language, rendered once per instance."""
        from portal.notifications import render

        return render(self)

    @property
    def title(self) -> str:
        return self.rendered.title

    @property
    def body(self) -> str:
        return self.rendered.body


class ApiToken(models.Model):
    """An API key, kept only as its SHA-256 digest: once handed out it cannot be read
    back by anyone (an administrator who could would be able to act as that person,
    and so list their anonymous insights). A person may hold a few, one per device."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"API token of user {self.user_id}"
