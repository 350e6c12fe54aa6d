import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from feedback.survey.rollups import rollups_rebuild


class Command(BaseCommand):
    help = (
        "Recount the daily survey rollup from the responses and say whether it differed. "
        "Exits with status 1 when it did (after putting it right, unless --check): the "
        "rollup is kept in step by every write, so a difference means something wrote "
        "to the responses past the services."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare; change nothing.")

    def handle(self, *args, check: bool, **options):
        differences = rollups_rebuild(fix=not check)
        if not differences.total:
            self.stdout.write(
                self.style.SUCCESS(_("The rollup equals a recount: nothing differed."))
            )
            return
        message = _(
            "The rollup differed from a recount: %(missing)s cells missing, %(extra)s cells "
            "too many, %(wrong)s cells with other counts."
        ) % {"missing": differences.missing, "extra": differences.extra, "wrong": differences.wrong}
        self.stderr.write(message)
        self.stderr.write(_("Nothing was changed (--check).") if check else _("It was rebuilt."))
        sys.exit(1)
