"""Survey imports in a real Celery worker on Redis: progress is seen rising while the
file imports, the page shows it, and a worker killed with SIGKILL mid-import and a
fresh one started leave exactly the rows and counts of an uninterrupted run."""

import datetime
import io
import time

import pytest
from django.conf import settings
from django.utils import timezone

from feedback.models import SurveyImport, SurveyResponse
from feedback.survey.importing import survey_import_rows
from portal import outbox
from tests.conftest import WORKER_TIMEOUT
from tests.feedback.survey.conftest import IMPORTS, assert_rollup_is_a_recount, csv_bytes, row

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Small batches, so a few thousand rows report progress many times.
BATCH_ROWS = "200"


@pytest.fixture
def workers(start_worker, redis_url):
    """Start worker processes on the suite's Redis, as many as a test needs; they read
    the uploads where this process stores them."""

    def start():
        return start_worker(
            broker_url=redis_url,
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            SURVEY_IMPORT_BATCH_ROWS=BATCH_ROWS,
        )

    return start


def upload(api, user, data: bytes, **options) -> int:
    file = io.BytesIO(data)
    file.name = "responses.csv"
    response = api(user).post(IMPORTS, {"file": file, **options}, format="multipart")
    assert response.status_code == 202, response.content
    return response.json()["id"]


def job(pk: int) -> SurveyImport:
    return SurveyImport.objects.get(pk=pk)


def test_a_file_imports_in_the_background_and_its_progress_is_seen(workers, api, client, org):
    # Given a manager of RUH-01 and a worker
    from portal.models import Role
    from tests.factories import make_user

    mona = make_user("mona", roles=[Role.MANAGER], team=org.team_ruh, managed=[org.ruh01])
    worker = workers()
    count = 6000

    # When she uploads a file
    pk = upload(api, mona, csv_bytes([row(n) for n in range(1, count + 1)]))

    # Then the job's processed rows are seen rising while it runs, on the page too
    client.force_login(mona)
    seen, shown = set(), []
    deadline = time.monotonic() + WORKER_TIMEOUT
    while time.monotonic() < deadline:
        current = job(pk)
        if current.status == "running" and 0 < current.processed_rows < count:
            seen.add(current.processed_rows)
            page = client.get(f"/survey/imports/{pk}/progress/").content.decode()
            if "hx-trigger" in page:
                shown.append(page)
        if current.is_finished:
            break
        if not worker.process.alive:
            pytest.fail(worker.log())
        time.sleep(0.02)
    finished = job(pk)
    assert finished.status == "succeeded", (finished.errors, worker.log())
    assert len(seen) >= 2, seen
    assert any(f"of {count} rows read" in page for page in shown), shown[:1]
    assert (finished.created, finished.processed_rows, finished.total_rows) == (count, count, count)
    assert SurveyResponse.objects.count() == count
    worker.wait_for(lambda: not job(pk).file, "the upload removed once the job ended")
    page = client.get(f"/survey/imports/{pk}/").content.decode()
    assert 'class="count-created">6000<' in page
    assert "hx-trigger" not in page  # polling stops once finished


def test_a_worker_killed_mid_import_leaves_nothing_and_the_retry_ends_as_an_uninterrupted_run(
    workers, api, org
):
    # Given 1,000 responses already imported, and a manager for the whole organisation
    from portal.models import Role
    from tests.factories import make_user

    sara = make_user("sara", roles=[Role.MANAGER], team=org.team_ruh)
    survey_import_rows(rows=[row(n) for n in range(1, 1001)])
    # and a file of 20,000 rows: 500 unchanged, 500 changed, 18,990 new, 10 bad
    items = [row(n) for n in range(1, 501)]
    items += [row(n, score=5, comment="changed") for n in range(501, 1001)]
    items += [row(n, score=9 if n % 1900 == 0 else 3) for n in range(1001, 20_001)]
    data = csv_bytes(items)
    expected = {"created": 18_990, "updated": 500, "unchanged": 500, "rejected": 10}

    # When a worker starts the import and is killed with SIGKILL part-way through
    first = workers()
    pk = upload(api, sara, data, on_error="skip")
    deadline = time.monotonic() + WORKER_TIMEOUT
    while not (job(pk).status == "running" and 0 < job(pk).processed_rows < 10_000):
        if time.monotonic() > deadline or job(pk).is_finished:
            pytest.fail(f"the import was never caught part-way: {job(pk).__dict__}\n{first.log()}")
        time.sleep(0.01)
    first.process.kill()  # SIGKILL, the whole process group

    # Then nothing of it was written
    killed = job(pk)
    assert killed.status == "running"
    assert SurveyResponse.objects.count() == 1000
    assert SurveyResponse.objects.filter(comment="changed").count() == 0
    assert_rollup_is_a_recount()

    # When a fresh worker runs and the sweeper finds the job's lease expired
    second = workers()
    later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    assert outbox.sweep(later)["survey-imports"] == 1

    # Then the job ends as an uninterrupted run would have
    second.wait_for(lambda: job(pk).is_finished, "finished import")
    done = job(pk)
    assert done.status == "succeeded", (done.errors, second.log())
    assert {k: getattr(done, k) for k in expected} == expected
    assert done.attempts == 2
    assert SurveyResponse.objects.count() == 1000 + 18_990
    assert SurveyResponse.objects.filter(comment="changed", score=5).count() == 500
    assert not SurveyResponse.objects.filter(score=9).exists()
    assert_rollup_is_a_recount()
    # and a message for the same job delivered again changes nothing
    from feedback.tasks import run_survey_import_task

    assert run_survey_import_task.apply(args=[pk]).get() is False
