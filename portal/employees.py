"""Bulk import of staff from a CSV file: all rows or none, written in bulk."""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from portal import services
from portal.bulk import bulk_update
from portal.models import Language, Role, Team, User, UserRole
from portal.text import clean_text

COLUMNS = ["username", "display_name", "email", "team", "roles", "language"]
REQUIRED = ["username", "display_name"]
BATCH = 1000
UPDATED_FIELDS = ["display_name", "email", "team", "language", "is_staff", "is_superuser"]
COMPARED = [User._meta.get_field(name).attname for name in UPDATED_FIELDS]  # team_id: no query


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _split_roles(raw: str) -> list[str]:
    for sep in "|,":
        raw = raw.replace(sep, ";")
    return [r.strip().lower() for r in raw.split(";") if r.strip()]


def employees_import(*, data: bytes | str, send_welcome: bool = False) -> ImportResult:
    """Create or update staff from CSV text; any bad row means nothing changes.

    Every bad row is reported with its line and column.
    """
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    result = ImportResult()
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.errors.append(
            RowError(1, ", ".join(missing), _("required column is missing from the header"))
        )
        return result
    reader.fieldnames = header

    teams = {t.code: t for t in Team.objects.all()}
    existing = {u.username: u for u in User.objects.all()}
    username_validator = UnicodeUsernameValidator()
    seen: dict[str, int] = {}
    rows = []
    for row in reader:
        line = reader.line_num
        values = {k: clean_text(v or "") for k, v in row.items() if k is not None}
        errors_before = len(result.errors)
        for column in REQUIRED:
            if not values.get(column):
                result.errors.append(RowError(line, column, _("this field is required")))
        username = values.get("username", "")
        if username:
            try:
                username_validator(username)
            except ValidationError as exc:
                result.errors.append(RowError(line, "username", " ".join(exc.messages)))
            if username in seen:
                result.errors.append(
                    RowError(
                        line,
                        "username",
                        _("duplicate of line %(line)s") % {"line": seen[username]},
                    )
                )
            seen.setdefault(username, line)
        if len(values.get("display_name", "")) > 150:
            result.errors.append(RowError(line, "display_name", _("at most 150 characters")))
        email = values.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                result.errors.append(RowError(line, "email", _("not a valid e-mail address")))
        team_code = values.get("team", "")
        if team_code and team_code not in teams:
            result.errors.append(
                RowError(line, "team", _("unknown team code “%(code)s”") % {"code": team_code})
            )
        roles = _split_roles(values.get("roles", "")) or [Role.FRONTLINE]
        bad_roles = [r for r in roles if r not in Role.values]
        if bad_roles:
            result.errors.append(
                RowError(line, "roles", _("unknown role “%(role)s”") % {"role": bad_roles[0]})
            )
        language = values.get("language", "").lower() or Language.ENGLISH
        if language not in Language.values:
            result.errors.append(RowError(line, "language", _("must be “ar” or “en”")))
        if len(result.errors) > errors_before:
            continue
        # The model's own checks (lengths, formats), without a query per row.
        user = existing.get(username) or User(username=username)
        before = [getattr(user, name) for name in COMPARED]
        user.display_name = values["display_name"]
        user.email = email
        user.team = teams.get(team_code)
        user.language = language
        try:
            user.full_clean(
                exclude=["password", "team"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                result.errors.append(RowError(line, column, " ".join(messages)))
            continue
        services.set_admin_access(user, roles)
        user._import_changed = before != [getattr(user, name) for name in COMPARED]
        rows.append((user, set(roles)))
    if result.errors:
        return result

    result.created = sum(1 for user, _roles in rows if user._state.adding)
    result.updated = len(rows) - result.created
    with transaction.atomic():
        _write(rows, send_welcome=send_welcome)
    return result


def _write(rows: list[tuple[User, set[str]]], *, send_welcome: bool) -> None:
    """Save the validated users and their roles in bulk: a few queries per thousand rows."""
    new = [user for user, _roles in rows if user._state.adding]
    existing = [user for user, _roles in rows if not user._state.adding]
    for user in new:
        user.set_unusable_password()
    User.objects.bulk_create(new, batch_size=BATCH)
    bulk_update([user for user in existing if user._import_changed], UPDATED_FIELDS)

    wanted = {(user.pk, role) for user, roles in rows for role in roles}
    links = UserRole.objects.filter(user__in=[user.pk for user in existing])
    have = {(link.user_id, link.role): link.pk for link in links}
    UserRole.objects.filter(pk__in=[pk for key, pk in have.items() if key not in wanted]).delete()
    UserRole.objects.bulk_create(
        [UserRole(user_id=pk, role=role) for pk, role in sorted(wanted - set(have))],
        batch_size=BATCH,
    )
    if send_welcome:
        for user in new:
            services.notify(
                recipient=user,
                kind="welcome",
                context={"username": user.username},
                dedupe_key="welcome",
            )
