"""Writes for people: creating and updating staff, their roles and scope."""

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.models import Location, Role, Team, User, UserRole
from portal.services.notifications import notify


# --- users ---------------------------------------------------------------------------------
def _apply_roles(user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %s") % ", ".join(sorted(unknown))})
    UserRole.objects.filter(user=user).exclude(role__in=wanted).delete()
    existing = set(UserRole.objects.filter(user=user).values_list("role", flat=True))
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(wanted - existing)])
    set_admin_access(user, wanted)
    user.save(update_fields=["is_staff", "is_superuser"])
    user._roles_cache = sorted(wanted)


def set_admin_access(user: User, roles: Iterable[str]) -> None:
    """Managers and admins work in the Django admin; nobody else gets in (unsaved)."""
    roles = set(roles)
    user.is_staff = bool(roles & {Role.MANAGER, Role.ADMIN})
    user.is_superuser = Role.ADMIN in roles


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def user_create(
    *,
    username: str,
    display_name: str,
    email: str = "",
    password: str | None = None,
    roles: Iterable[str] = (Role.FRONTLINE,),
    team: Team | None = None,
    managed_locations: Iterable[Location] = (),
    language: str = "en",
    is_active: bool = True,
    send_welcome: bool = True,
) -> User:
    """Create a member of staff with their roles and scope, and welcome them."""
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        team=team,
        language=language,
        is_active=is_active,
    )
    if password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"username": _("A user with that username already exists.")}) from exc
    _apply_roles(user, roles)
    user.managed_locations.set(managed_locations)
    if send_welcome:
        notify(
            recipient=user,
            kind="welcome",
            context={"username": user.username},
            dedupe_key="welcome",
        )
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    roles: Iterable[str] | None = None,
    managed_locations: Iterable[Location] | None = None,
    password: str | None = None,
    **fields,
) -> User:
    """Update a member of staff; only the given fields change."""
    allowed = {"display_name", "email", "team", "language", "is_active", "email_notifications"}
    unexpected = set(fields) - allowed
    if unexpected:
        raise TypeError(f"user_update() got unexpected fields {sorted(unexpected)}")
    for name, value in fields.items():
        setattr(user, name, value)
    if password:
        _check_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    update_fields = list(fields) + (["password"] if password else [])
    if update_fields:
        user.save(update_fields=update_fields)
    if roles is not None:
        _apply_roles(user, roles)
    if managed_locations is not None:
        user.managed_locations.set(managed_locations)
    return user
