from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Location, Role, Team
from training.models.modules import Module


class Reason(models.TextChoices):
    MANUAL = "manual", _("Assigned by a trainer")
    TEAM = "team", _("Team")
    LOCATION = "location", _("Location")
    ROLE = "role", _("Role")
    NEW_HIRE_RULE = "new_hire_rule", _("New hire")
    REVISION = "revision", _("Standard revised")
    RECERTIFICATION = "recertification", _("Recertification")


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("To do")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("No attempts left")


class AssignmentRule(models.Model):
    """Assign a module to everyone in a team, at a location or with a role: existing
    staff when the rule is made, newcomers and people who move as it happens."""

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="rules", verbose_name=_("module")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("location"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    due_in_days = models.PositiveSmallIntegerField(
        _("due after (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["module", "id"]
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(team__isnull=False, location__isnull=True, role="")
                    | Q(team__isnull=True, location__isnull=False, role="")
                    | (Q(team__isnull=True, location__isnull=True) & ~Q(role=""))
                ),
                name="assignmentrule_one_target",
            ),
            models.UniqueConstraint(
                fields=["module", "team"],
                condition=Q(team__isnull=False),
                name="assignmentrule_unique_team",
            ),
            models.UniqueConstraint(
                fields=["module", "location"],
                condition=Q(location__isnull=False),
                name="assignmentrule_unique_location",
            ),
            models.UniqueConstraint(
                fields=["module", "role"], condition=~Q(role=""), name="assignmentrule_unique_role"
            ),
        ]

    def __str__(self):
        return f"{self.module.code} → {self.target_label}"

    @property
    def target_kind(self) -> str:
        if self.team_id:
            return Reason.TEAM
        if self.location_id:
            return Reason.LOCATION
        return Reason.ROLE

    @property
    def target_label(self) -> str:
        if self.team_id:
            return self.team.name
        if self.location_id:
            return self.location.name
        return str(Role(self.role).label) if self.role in Role.values else self.role


class Assignment(models.Model):
    """A module someone has to complete by a date, with who assigned it and why."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_assignments",
        verbose_name=_("person"),
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("module")
    )
    due_date = models.DateField(_("due"))
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    rule = models.ForeignKey(
        AssignmentRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("rule"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.OPEN,
    )
    created_at = models.DateTimeField(_("assigned"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module"],
                condition=Q(status="open"),
                name="assignment_one_open_per_module",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="assignment_user_status_idx"),
            models.Index(
                fields=["due_date"], condition=Q(status="open"), name="assignment_open_due_idx"
            ),
        ]

    def __str__(self):
        return f"{self.module.code} → {self.user}"

    def get_absolute_url(self):
        return reverse("training:assignment", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == AssignmentStatus.OPEN

    def is_overdue_on(self, day) -> bool:
        return self.is_open and self.due_date < day


class Reminder(models.Model):
    """A reminder sent, one per assignment, kind and scheduled date: the daily task
    creates it with its notifications in one transaction, so nothing is sent twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Due soon")
        DUE = "due", _("Due today")
        OVERDUE = "overdue", _("Overdue")
        ESCALATION = "escalation", _("Managers told")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("assignment")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("for the date"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["assignment", "date", "kind"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "date"], name="reminder_unique_assignment_kind_date"
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id} {self.kind} {self.date}"
