from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from portal.employees import COLUMNS, employees_import


class Command(BaseCommand):
    help = f"Create or update staff from a CSV file (columns: {', '.join(COLUMNS)})."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--welcome", action="store_true", help="E-mail a welcome to each new account."
        )

    def handle(self, *args, file: Path, welcome: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        try:
            result = employees_import(data=data, send_welcome=welcome)
        except UnicodeDecodeError as exc:
            raise CommandError(_("The file is not UTF-8 text.")) from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            count = len(result.errors)
            raise CommandError(
                ngettext(
                    "%(count)s problem found: nothing was imported.",
                    "%(count)s problems found: nothing was imported.",
                    count,
                )
                % {"count": count}
            )
        # English needs no noun here; Arabic counts the employees in six forms.
        created = npgettext(
            "employees", "%(count)s created", "%(count)s created", result.created
        ) % {"count": result.created}
        updated = npgettext(
            "employees", "%(count)s updated", "%(count)s updated", result.updated
        ) % {"count": result.updated}
        self.stdout.write(_("%(created)s, %(updated)s.") % {"created": created, "updated": updated})
