"""The survey commands as an operator runs them: ``import_survey`` (a progress bar on a
terminal, the counts at the end, exit status 1 when anything was rejected, a dry run)
and ``rebuild_rollups`` (says whether the rollup differed from a recount and by what,
puts it right unless ``--check``, exit status 1 when it differed)."""

import io
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from feedback.models import SurveyDailyRollup, SurveyImport, SurveyResponse
from feedback.survey.importing import survey_import_rows
from tests.feedback.survey.conftest import (
    assert_rollup_is_a_recount,
    csv_bytes,
    recount,
    row,
    rows,
    stored_rollup,
)

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def survey_file(tmp_path):
    def write(items, name="responses.csv"):
        path = tmp_path / name
        path.write_bytes(csv_bytes(items))
        return str(path)

    return write


@dataclass
class Ran:
    status: int
    out: str
    err: str


def run(*argv) -> Ran:
    """``manage.py ARGV``: its exit status and what it printed, as ``run_from_argv``
    gives them (which cannot be called here: it closes the test's connection)."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        call_command(*argv, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
        status = exc.returncode
    except SystemExit as exc:
        status = exc.code
    return Ran(status, out.getvalue(), err.getvalue())


# --- import_survey --------------------------------------------------------------------------
def test_on_a_terminal_the_import_shows_a_progress_bar_then_the_counts(settings, org, survey_file):
    settings.SURVEY_IMPORT_BATCH_ROWS = 10
    terminal, piped = Terminal(), io.StringIO()

    call_command("import_survey", survey_file(rows(35)), stdout=terminal, stderr=io.StringIO())
    call_command("import_survey", survey_file(rows(35)), stdout=piped, stderr=io.StringIO())

    shown = terminal.getvalue()
    bars = [part for part in shown.split("\r") if part.startswith("[")]
    assert len(bars) >= 2, shown
    assert "[" + "#" * 30 + "] 100% 35 of 35 rows" in bars[-1]
    assert "35 created, 0 updated, 0 unchanged, 0 rejected." in shown
    # piped into a file or another program: no bar, only the counts
    assert "\r" not in piped.getvalue()
    assert piped.getvalue().strip() == "0 created, 0 updated, 35 unchanged, 0 rejected."


def test_the_exit_status_is_1_when_anything_was_rejected(org, survey_file, tmp_path):
    good = survey_file(rows(3), "good.csv")
    one_bad = survey_file([*rows(2, start=10), row(12, score=9)], "bad.csv")

    imported = run("import_survey", good)
    skipped = run("import_survey", one_bad, "--on-error", "skip")
    refused = run("import_survey", one_bad)
    missing = run("import_survey", str(tmp_path / "missing.csv"))

    assert imported.status == 0 and "3 created" in imported.out
    assert skipped.status == refused.status == missing.status == 1
    assert "A CSAT score is a whole number from 1 to 5, not 9." in skipped.err
    assert "2 created, 0 updated, 0 unchanged, 1 rejected." in skipped.err
    assert "Nothing was imported." in refused.err
    assert "Cannot read" in missing.err
    assert SurveyResponse.objects.count() == 3 + 2


def test_a_dry_run_from_the_command_reports_and_writes_nothing(org, survey_file):
    survey_import_rows(rows=rows(2))
    out = io.StringIO()

    call_command(
        "import_survey",
        survey_file([row(1, score=5), row(2), row(3)]),
        "--dry-run",
        stdout=out,
        stderr=io.StringIO(),
    )

    assert out.getvalue().strip() == (
        "Dry run, nothing written: 1 created, 1 updated, 1 unchanged, 0 rejected."
    )
    assert SurveyResponse.objects.count() == 2
    assert SurveyResponse.objects.get(external_id="R-00001").score == 4
    assert SurveyImport.objects.get().dry_run is True


def test_bad_options_are_refused_before_anything_is_read(org, survey_file):
    encoding = run("import_survey", survey_file(rows(1)), "--encoding", "latin-1")
    source = run("import_survey", survey_file(rows(1)), "--source", "not a code!")

    assert encoding.status == source.status == 1
    assert "invalid choice: 'latin-1'" in encoding.err
    assert "A source is a short code" in source.err
    assert not SurveyImport.objects.exists()


# --- rebuild_rollups ------------------------------------------------------------------------
def test_rebuild_rollups_says_nothing_differed_when_the_rollup_is_right(org):
    survey_import_rows(rows=rows(5))

    ran = run("rebuild_rollups")

    assert ran.status == 0
    assert "nothing differed" in ran.out


def test_rebuild_rollups_finds_each_kind_of_difference_and_puts_it_right(org):
    # Given responses on three days (three rollup cells)
    survey_import_rows(
        rows=[
            row(1, responded_at="2026-01-05T10:00:00"),
            row(2, responded_at="2026-01-06T10:00:00", score=2),
            row(3, responded_at="2026-01-07T10:00:00", metric="nps", score=9),
        ]
    )
    right = stored_rollup()
    assert len(right) == 3
    # and a rollup that something wrote past the services: one cell with other counts,
    # one missing, one for responses that do not exist
    cells = list(SurveyDailyRollup.objects.order_by("day"))
    SurveyDailyRollup.objects.filter(pk=cells[0].pk).update(n=F("n") + 1)
    SurveyDailyRollup.objects.filter(pk=cells[1].pk).delete()
    SurveyDailyRollup.objects.create(
        metric="ces",
        day=cells[2].day,
        location_id=cells[2].location_id,
        channel_id=cells[2].channel_id,
        n=1,
        score_sum=7,
        top_box=1,
        promoters=0,
        detractors=0,
    )
    broken = stored_rollup()

    # When it is checked only
    checked = run("rebuild_rollups", "--check")

    # Then it says what differed and changes nothing
    assert checked.status == 1
    assert "1 cells missing, 1 cells too many, 1 cells with other counts." in checked.err
    assert "Nothing was changed (--check)." in checked.err
    assert stored_rollup() == broken

    # When it is rebuilt
    rebuilt = run("rebuild_rollups")

    # Then it says so once, and the rollup is a recount again
    assert rebuilt.status == 1
    assert "It was rebuilt." in rebuilt.err
    assert stored_rollup() == right == recount()
    assert_rollup_is_a_recount()
    assert run("rebuild_rollups").status == 0
