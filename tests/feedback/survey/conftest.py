"""Survey test helpers: files to import, the ways to import them (API upload, page,
command, bulk JSON API), and a recount of the rollup done here, independently of the
product's SQL."""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from feedback.models import SurveyDailyRollup, SurveyImport, SurveyResponse

HEADER = [
    "source",
    "external_id",
    "metric",
    "score",
    "responded_at",
    "channel",
    "location",
    "team",
    "category",
    "comment",
    "language",
]
IMPORTS = "/api/v1/survey-imports/"
RESPONSES = "/api/v1/survey-responses/"


def row(n: int = 1, **overrides) -> dict:
    """A good row (CSAT 4 on branch at RUH-01 last January), with ``overrides``."""
    values = {
        "source": "qualtrics",
        "external_id": f"R-{n:05d}",
        "metric": "csat",
        "score": "4",
        "responded_at": "2026-01-05T10:00:00+03:00",
        "channel": "branch",
        "location": "RUH-01",
        "team": "",
        "category": "",
        "comment": "",
        "language": "",
    }
    values.update({key: str(value) for key, value in overrides.items()})
    return values


def rows(count: int, start: int = 1, **overrides) -> list[dict]:
    return [row(n, **overrides) for n in range(start, start + count)]


def csv_text(items: list[dict], header: list[str] | None = None) -> str:
    header = header or HEADER
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for item in items:
        writer.writerow([item.get(name, "") for name in header])
    return out.getvalue()


def csv_bytes(items, header=None, *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    data = csv_text(items, header).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


# --- the ways in ----------------------------------------------------------------------------
@dataclass
class Outcome:
    """What an import reported, whatever the way in."""

    refused: bool
    counts: dict
    errors: list[tuple] = field(default_factory=list)  # (line, column, message)
    raw: object = None


def _job_outcome(job: SurveyImport) -> Outcome:
    from feedback.survey.errors import RowError

    errors = [RowError.from_stored(e) for e in job.errors]
    return Outcome(
        refused=job.status == SurveyImport.State.FAILED,
        counts={k: getattr(job, k) for k in ("created", "updated", "unchanged", "rejected")},
        errors=[(e.line, e.column or None, e.message) for e in errors],
        raw=job,
    )


@pytest.fixture
def via_api(api, django_capture_on_commit_callbacks):
    def _import(user, data: bytes, name: str = "responses.csv", **options) -> Outcome:
        client = api(user)
        upload = io.BytesIO(data)
        upload.name = name
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(IMPORTS, {"file": upload, **options}, format="multipart")
        assert response.status_code == 202, response.content
        job = client.get(f"{IMPORTS}{response.json()['id']}/", {"page_size": 1000}).json()
        assert set(job) == {
            "id", "status", "file_name", "total_rows", "processed_rows", "created", "updated",
            "unchanged", "rejected", "error_count", "errors", "dry_run", "on_error",
            "created_at", "finished_at",
        }  # fmt: skip
        return Outcome(
            refused=job["status"] == "failed",
            counts={k: job[k] for k in ("created", "updated", "unchanged", "rejected")},
            errors=[(e["line"], e["column"], e["message"]) for e in job["errors"]],
            raw=job,
        )

    return _import


@pytest.fixture
def via_page(client, django_capture_on_commit_callbacks):
    def _import(user, data: bytes, name: str = "responses.csv", **options) -> Outcome:
        client.force_login(user)
        upload = io.BytesIO(data)
        upload.name = name
        form = {"file": upload, "on_error": "abort", "encoding": "utf-8", **options}
        if not form.get("dry_run"):
            form.pop("dry_run", None)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/survey/imports/new/", form)
        assert response.status_code == 302, response.content.decode()[:2000]
        page = client.get(response["Location"])
        assert page.status_code == 200
        job = SurveyImport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
        outcome = _job_outcome(job)
        html = page.content.decode()
        for _line, _column, message in outcome.errors[:100]:
            assert escape(message) in html, message
        for name in ("created", "updated", "unchanged", "rejected"):
            assert f'class="count-{name}">{outcome.counts[name]}<' in html
        outcome.raw = html
        return outcome

    return _import


def escape(text: str) -> str:
    from django.utils.html import escape as html_escape

    return str(html_escape(text))


@pytest.fixture
def via_command(tmp_path):
    def _import(user, data: bytes, name: str = "responses.csv", **options) -> Outcome:
        path = tmp_path / name
        path.write_bytes(data)
        args = [str(path)]
        for key, value in options.items():
            if key == "dry_run":
                if value:
                    args.append("--dry-run")
            else:
                args += [f"--{key.replace('_', '-')}", str(value)]
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("import_survey", *args, stdout=out, stderr=err)
            failed = False
        except CommandError:
            failed = True
        job = SurveyImport.objects.order_by("-pk").first()
        outcome = _job_outcome(job)
        printed = err.getvalue()
        for _line, _column, message in outcome.errors:
            assert message in printed
        assert failed == bool(outcome.refused or outcome.counts["rejected"])
        outcome.raw = out.getvalue() + printed
        return outcome

    return _import


@pytest.fixture(params=["api", "page", "command"])
def importer(request):
    """Each way a file comes in. The command runs as the system (no scope limit)."""
    return request.getfixturevalue(f"via_{request.param}")


# --- an independent recount -----------------------------------------------------------------
TOP_BOX_FROM = {"csat": 4, "ces": 5, "nps": 9}


def recount() -> dict:
    """The rollup computed here from the raw responses, in Python."""
    zone = ZoneInfo(settings.TIME_ZONE)
    cells: dict[tuple, Counter] = {}
    for r in SurveyResponse.objects.all():
        key = (
            r.metric,
            r.responded_at.astimezone(zone).date(),
            r.location_id,
            r.channel_id,
            r.team_id,
            r.category_id,
        )
        cell = cells.setdefault(key, Counter())
        cell["n"] += 1
        cell["score_sum"] += r.score
        cell["top_box"] += r.score >= TOP_BOX_FROM[r.metric]
        cell["promoters"] += r.metric == "nps" and r.score >= 9
        cell["detractors"] += r.metric == "nps" and r.score <= 6
    names = ("n", "score_sum", "top_box", "promoters", "detractors")
    return {key: tuple(cell[name] for name in names) for key, cell in cells.items()}


def stored_rollup() -> dict:
    return {
        (c.metric, c.day, c.location_id, c.channel_id, c.team_id, c.category_id): (
            c.n,
            c.score_sum,
            c.top_box,
            c.promoters,
            c.detractors,
        )
        for c in SurveyDailyRollup.objects.all()
    }


def assert_rollup_is_a_recount() -> None:
    from feedback.survey.rollups import rollup_differences

    assert stored_rollup() == recount()
    assert rollup_differences().total == 0


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
