"""Who may do what with survey data: every survey endpoint and page × every role, and
what each manager sees (their scope) in lists, exports, jobs and the admin.

The cast (tests/conftest.py): alice and bob are frontline, mona manages RUH-01, omar
JED-01, tariq is a trainer, ada an administrator. The job in the matrix is mona's.
"""

import io

import pytest

from feedback.models import SurveyImport, SurveyResponse
from feedback.survey.importing import survey_import_rows
from tests.feedback.survey.conftest import IMPORTS, RESPONSES, csv_bytes, row

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "alice", "bob", "mona", "omar", "tariq", "ada"]


def expect(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


def upload_file() -> io.BytesIO:
    file = io.BytesIO(csv_bytes([row(900, location="RUH-01")]))
    file.name = "one.csv"
    return file


#             anonymous alice bob mona omar tariq ada
MANAGERS_ONLY = expect(401, 403, 403, 200, 200, 403, 200)
API = {
    "responses list": ("get", RESPONSES, None, MANAGERS_ONLY),
    "responses csv": ("get", f"{RESPONSES}?format=csv", None, MANAGERS_ONLY),
    "responses xlsx": ("get", f"{RESPONSES}?format=xlsx", None, MANAGERS_ONLY),
    # omar's scope is JED-01: a row for RUH-01 is a bad row, nothing is written
    "responses write": (
        "post",
        RESPONSES,
        {
            "external_id": "J-1",
            "metric": "csat",
            "score": 5,
            "source": "ivr",
            "responded_at": "2026-02-01T09:00:00",
            "channel": "phone",
            "location": "RUH-01",
        },
        expect(401, 403, 403, 201, 400, 403, 201),
    ),
    "imports list": ("get", IMPORTS, None, MANAGERS_ONLY),
    "imports upload": ("post", IMPORTS, "file", expect(401, 403, 403, 202, 202, 403, 202)),
    # another manager's job does not exist for omar
    "import detail": ("get", f"{IMPORTS}{{job}}/", None, expect(401, 403, 403, 200, 404, 403, 200)),
}


@pytest.fixture
def mona_job(mona, org, django_capture_on_commit_callbacks, api) -> SurveyImport:
    file = io.BytesIO(csv_bytes([row(1), row(2, score=9)]))
    file.name = "mine.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(mona).post(IMPORTS, {"file": file}, format="multipart")
    return SurveyImport.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(API))
def test_survey_api_is_for_managers_and_admins(
    api, cast, role, endpoint, mona_job, django_capture_on_commit_callbacks
):
    method, path, body, expected = API[endpoint]
    client = api(None if role == "anonymous" else cast[role])
    path = path.format(job=mona_job.pk)
    before = (SurveyResponse.objects.count(), SurveyImport.objects.count())

    with django_capture_on_commit_callbacks(execute=True):
        if body == "file":
            response = client.post(path, {"file": upload_file()}, format="multipart")
        elif method == "post":
            response = client.post(path, body, format="json")
        else:
            response = client.get(path)

    assert response.status_code == expected[role], (role, endpoint, response.content[:300])
    if response.status_code >= 400:
        assert (SurveyResponse.objects.count(), SurveyImport.objects.count()) == before


#             anonymous alice bob mona omar tariq ada
PAGE_MANAGERS_ONLY = expect(302, 403, 403, 200, 200, 403, 200)
# mona's job: omar may not see it
MONAS = expect(302, 403, 403, 200, 404, 403, 200)
# the admin: staff (managers, admins) only; the rest are sent to its log-in
STAFF = expect(302, 302, 302, 200, 200, 302, 200)
STAFF_MONAS = expect(302, 302, 302, 200, 302, 302, 200)
PAGES = {
    "responses": ("/survey/", PAGE_MANAGERS_ONLY),
    "responses export csv": ("/survey/export/?format=csv", PAGE_MANAGERS_ONLY),
    "responses export xlsx": ("/survey/export/?format=xlsx", PAGE_MANAGERS_ONLY),
    "imports": ("/survey/imports/", PAGE_MANAGERS_ONLY),
    "import form": ("/survey/imports/new/", PAGE_MANAGERS_ONLY),
    "import": ("/survey/imports/{job}/", MONAS),
    "import progress": ("/survey/imports/{job}/progress/", MONAS),
    "import errors csv": ("/survey/imports/{job}/errors.csv", MONAS),
    "admin responses": ("/admin/feedback/surveyresponse/", STAFF),
    "admin imports": ("/admin/feedback/surveyimport/", STAFF),
    "admin import": ("/admin/feedback/surveyimport/{job}/change/", STAFF_MONAS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_survey_pages_are_for_managers_and_admins(client, cast, role, page, mona_job):
    path, expected = PAGES[page]
    if role != "anonymous":
        client.force_login(cast[role])

    response = client.get(path.format(job=mona_job.pk))

    assert response.status_code == expected[role], (role, page)


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_post_the_import_form(
    client, cast, role, org, django_capture_on_commit_callbacks
):
    if role != "anonymous":
        client.force_login(cast[role])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/survey/imports/new/",
            {"file": upload_file(), "on_error": "abort", "encoding": "utf-8"},
        )

    expected = expect(302, 403, 403, 302, 302, 403, 302)[role]
    assert response.status_code == expected
    imported = SurveyImport.objects.exists()
    assert imported == (role in ("mona", "omar", "ada"))


# --- scope ----------------------------------------------------------------------------------
@pytest.fixture
def both_locations(org):
    survey_import_rows(
        rows=[row(1, location="RUH-01", comment="Riyadh customer"),
              row(2, location="JED-01", comment="Jeddah customer")]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "sees"), [("mona", {"RUH-01"}), ("omar", {"JED-01"}), ("ada", {"RUH-01", "JED-01"})]
)
def test_each_manager_sees_only_their_locations(api, client, cast, both_locations, who, sees):
    user = cast[who]
    listed = {r["location"] for r in api(user).get(RESPONSES).json()["results"]}
    exported = b"".join(api(user).get(RESPONSES, {"format": "csv"}).streaming_content).decode()
    client.force_login(user)
    page = client.get("/survey/").content.decode()
    admin = client.get("/admin/feedback/surveyresponse/").content.decode()

    assert listed == sees
    for code, comment in (("RUH-01", "Riyadh customer"), ("JED-01", "Jeddah customer")):
        assert (comment in exported) == (code in sees)
        assert (comment in page) == (code in sees)
        assert (comment in admin) == (code in sees)


def test_a_manager_with_no_locations_sees_the_whole_organisation(api, org, both_locations):
    from portal.models import Role
    from tests.factories import make_user

    head = make_user("head", roles=[Role.MANAGER], team=org.team_ruh)

    listed = {r["location"] for r in api(head).get(RESPONSES).json()["results"]}

    assert listed == {"RUH-01", "JED-01"}


def test_a_manager_follows_only_their_own_imports_an_admin_all(api, mona, omar, ada, mona_job):
    assert [j["id"] for j in api(mona).get(IMPORTS).json()["results"]] == [mona_job.pk]
    assert api(omar).get(IMPORTS).json()["results"] == []
    assert [j["id"] for j in api(ada).get(IMPORTS).json()["results"]] == [mona_job.pk]
