"""Bulk import of staff from a CSV file: all rows or none."""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from portal import services
from portal.models import Language, Role, Team, User

COLUMNS = ["username", "display_name", "email", "team", "roles", "language"]
REQUIRED = ["username", "display_name"]


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
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
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
        if len(result.errors) == errors_before:
            rows.append(
                {
                    "line": line,
                    "username": username,
                    "display_name": values["display_name"],
                    "email": email,
                    "team": teams.get(team_code),
                    "roles": roles,
                    "language": language,
                }
            )
    if result.errors:
        return result

    with transaction.atomic():
        for row in rows:
            line = row.pop("line")
            user = existing.get(row["username"])
            try:
                with transaction.atomic():
                    if user is None:
                        services.user_create(**row, send_welcome=send_welcome)
                        result.created += 1
                    else:
                        roles = row.pop("roles")
                        row.pop("username")
                        services.user_update(user=user, roles=roles, **row)
                        result.updated += 1
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    result.errors.append(RowError(line, column, " ".join(messages)))
        if result.errors:
            result.created = result.updated = 0
            transaction.set_rollback(True)
    return result
