import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import SurveyImport
from feedback.survey.jobs import check_options, run_job
from feedback.survey.readers import COLUMNS, ENCODINGS


class Command(BaseCommand):
    help = (
        "Import survey responses from a CSV or XLSX file (columns: "
        f"{', '.join(COLUMNS)}). Exits with status 1 when any row was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="Source for rows without one.")
        parser.add_argument("--encoding", default="utf-8", choices=ENCODINGS)
        parser.add_argument(
            "--on-error",
            default="abort",
            choices=["abort", "skip"],
            help="abort (default): any bad row means nothing is imported; skip: import the rest.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, writing nothing."
        )

    def handle(self, *args, file: Path, source, encoding, on_error, dry_run, **options):
        try:
            source = check_options(source=source, encoding=encoding, on_error=on_error)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            handle = file.open("rb")
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        with handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
            now = timezone.now()
            # The job records the import beside those made on the page and the API.
            job = SurveyImport.objects.create(
                file_name=file.name[-255:],
                file_size=handle.tell(),
                sha256=digest.hexdigest(),
                source=source,
                encoding=encoding,
                on_error=on_error,
                dry_run=dry_run,
                status=SurveyImport.State.RUNNING,
                claimed_at=now,
                started_at=now,
                attempts=1,
            )
            bar = self._bar if self.stdout.isatty() else None
            result = run_job(job, handle, claim=now, by=None, on_progress=bar)
        if bar:
            self.stdout.write("")
        if result is None:
            raise CommandError(_("Another process took this import over; see import #%s.") % job.pk)
        self._report(result)

    def _bar(self, processed: int, total: int | None) -> None:
        width = 30
        share = processed / total if total else 0
        filled = round(width * share)
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {share:4.0%} "
            + _("%(done)s of %(total)s rows")
            % {"done": f"{processed:,}", "total": f"{total or 0:,}"},
            ending="",
        )
        self.stdout.flush()

    def _report(self, result) -> None:
        for error in result.errors:
            self.stderr.write(str(error))
        if result.error_count > len(result.errors):
            self.stderr.write(
                _("… and %(count)s more problems.")
                % {"count": result.error_count - len(result.errors)}
            )
        counts = (
            _(
                "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(rejected)s rejected."
            )
            % result.counts()
        )
        if result.refused:
            raise CommandError(_("Nothing was imported.") + " " + counts)
        if result.dry_run:
            counts = _("Dry run, nothing written:") + " " + counts
        if result.rejected:
            raise CommandError(counts)
        self.stdout.write(self.style.SUCCESS(counts))
