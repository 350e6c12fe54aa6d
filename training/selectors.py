"""Who sees what of training. One access function per resource; every page, API view,
export, admin queryset and service starts from it. Deny by default.

* trainers (and administrators) write standards and modules and see everyone's
  training;
* managers see the assignments, attempts, acknowledgements and compliance of the
  people at the locations in their scope (``portal.scope``);
* everyone sees their own, and the modules assigned to them; only trainers and
  administrators ever see a quiz's answers.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from portal.models import Role, User, UserRole
from portal.scope import scope_q
from training.models import (
    Acknowledgement,
    Assignment,
    AssignmentRule,
    Attempt,
    Module,
    Standard,
    StandardVersion,
)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_author(user) -> bool:
    """Trainers and administrators write standards and modules, and see the answers."""
    return _signed_in(user) and user.has_role(Role.TRAINER, Role.ADMIN)


def sees_all_training(user) -> bool:
    """Trainers and administrators see everyone's training records."""
    return is_author(user)


def staff() -> QuerySet[User]:
    """The people training is for: active members of staff with the frontline role."""
    frontline = UserRole.objects.filter(user=OuterRef("pk"), role=Role.FRONTLINE)
    return User.objects.filter(Exists(frontline), is_active=True)


def _people_q(user, field: str) -> Q:
    """Rows about people (``field`` leads to the person) that ``user`` may see: their
    own; a manager's scope; everything for trainers and administrators."""
    if sees_all_training(user):
        return Q()
    own = Q(**{field: user.pk})
    if not user.is_manager:
        return own
    in_scope = scope_q(user, f"{field}__team__location")
    # No limit (an organisation-wide manager): everything. (``own | Q()`` would be ``own``.)
    return Q() if in_scope is None else own | in_scope


def people_in_compliance_scope(user) -> QuerySet[User]:
    """The staff whose compliance ``user`` may see: everyone for trainers and admins,
    the people at the locations in scope for managers, nobody for anyone else."""
    if not _signed_in(user):
        return User.objects.none()
    if sees_all_training(user):
        return staff()
    if not user.is_manager:
        return User.objects.none()
    in_scope = scope_q(user, "team__location")
    return staff() if in_scope is None else staff().filter(in_scope)


def can_see_compliance(user) -> bool:
    return _signed_in(user) and (sees_all_training(user) or user.is_manager)


def standards_visible_to(user) -> QuerySet[Standard]:
    """Standards are for everyone signed in to read; inactive ones only for authors."""
    if not _signed_in(user):
        return Standard.objects.none()
    qs = Standard.objects.all()
    return qs if is_author(user) else qs.filter(is_active=True)


def versions_visible_to(user) -> QuerySet[StandardVersion]:
    """Published versions for everyone signed in; drafts only for authors."""
    if not _signed_in(user):
        return StandardVersion.objects.none()
    qs = StandardVersion.objects.filter(standard__in=standards_visible_to(user))
    return qs if is_author(user) else qs.published()


def modules_visible_to(user) -> QuerySet[Module]:
    """Authors and managers see every module (only authors see the answers, see
    :func:`is_author`); anyone else the modules assigned to them."""
    if not _signed_in(user):
        return Module.objects.none()
    if is_author(user) or user.is_manager:
        return Module.objects.all()
    return Module.objects.filter(
        Exists(Assignment.objects.filter(module=OuterRef("pk"), user=user))
    )


def assignments_visible_to(user) -> QuerySet[Assignment]:
    if not _signed_in(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(_people_q(user, "user"))


def attempts_visible_to(user) -> QuerySet[Attempt]:
    if not _signed_in(user):
        return Attempt.objects.none()
    return Attempt.objects.filter(_people_q(user, "user"))


def acknowledgements_visible_to(user) -> QuerySet[Acknowledgement]:
    if not _signed_in(user):
        return Acknowledgement.objects.none()
    return Acknowledgement.objects.filter(_people_q(user, "user"))


def rules_visible_to(user) -> QuerySet[AssignmentRule]:
    """Assignment rules are the trainers' tool."""
    if not is_author(user):
        return AssignmentRule.objects.none()
    return AssignmentRule.objects.all()


def my_open_assignments(user) -> QuerySet[Assignment]:
    """The user's training still to do, overdue first, then by due date."""
    return (
        assignments_visible_to(user)
        .filter(user=user, status="open")
        .select_related("module")
        .order_by("due_date", "id")
    )
