"""Who may do what with an insight: every insight endpoint × every role, for a named
and for a confidential insight by alice at RUH-01.

The cast (tests/conftest.py): alice is the author (frontline, RUH-01), bob another
frontline (JED-01), mona the manager in scope (RUH-01), omar a manager out of scope
(JED-01), tariq a trainer, ada an administrator. An insight someone may not see
answers 404, one they see but may not change answers 403.
"""

import pytest
from django.forms.models import model_to_dict

from feedback.models import Category, Comment, Endorsement, Follow, Insight, InsightEvent
from tests.feedback.conftest import INSIGHTS, insight_payload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "alice", "bob", "mona", "omar", "tariq", "ada"]


def row(*codes: int) -> dict[str, int]:
    """Expected status codes in the order of ROLES."""
    return dict(zip(ROLES, codes, strict=True))


SIMILAR_TEXT = "card reader freezes at the counter"

# endpoint: (method, path under /api/v1/insights/, body)
ENDPOINTS = {
    "list": ("get", "", None),
    "create": ("post", "", insight_payload(title="Another report")),
    "retrieve": ("get", "{pk}/", None),
    "patch": ("patch", "{pk}/", {"customer_impact": "critical"}),
    "triage": ("post", "{pk}/triage/", {"customer_impact": "critical"}),
    "transition": ("post", "{pk}/transition/", {"status": "under_review"}),
    "endorse": ("post", "{pk}/endorse/", None),
    "withdraw-endorsement": ("delete", "{pk}/endorse/", None),
    "follow": ("post", "{pk}/follow/", None),
    "unfollow": ("delete", "{pk}/follow/", None),
    "comments-read": ("get", "{pk}/comments/", None),
    "comments-write": ("post", "{pk}/comments/", {"body": "Seen it too"}),
    "history": ("get", "{pk}/history/", None),
    "similar": ("get", f"similar/?text={SIMILAR_TEXT}", None),
    "bulk-transition": ("post", "bulk-transition/", {"ids": ["{pk}"], "status": "under_review"}),
}

#                      anonymous alice bob  mona omar tariq ada
EVERYONE = row(401, 200, 200, 200, 200, 200, 200)
ONLY_WHO_SEE_IT = row(401, 200, 404, 200, 404, 404, 200)
EXPECTED = {
    "list": {"named": EVERYONE, "confidential": EVERYONE},
    "create": {
        "named": row(401, 201, 201, 201, 201, 201, 201),
        "confidential": row(401, 201, 201, 201, 201, 201, 201),
    },
    "retrieve": {"named": EVERYONE, "confidential": ONLY_WHO_SEE_IT},
    # the author while new; managers triage through /triage/ (issue 6.22)
    "patch": {
        "named": row(401, 200, 403, 403, 403, 403, 403),
        "confidential": row(401, 200, 404, 403, 404, 404, 403),
    },
    "triage": {
        "named": row(401, 403, 403, 200, 403, 403, 200),
        "confidential": row(401, 403, 404, 200, 404, 404, 200),
    },
    # managers in scope only; omar sees the named one but may not move it
    "transition": {
        "named": row(401, 403, 403, 200, 403, 403, 200),
        "confidential": row(401, 403, 404, 200, 404, 404, 200),
    },
    # nobody endorses their own insight
    "endorse": {
        "named": row(401, 400, 200, 200, 200, 200, 200),
        "confidential": row(401, 400, 404, 200, 404, 404, 200),
    },
    "withdraw-endorsement": {"named": EVERYONE, "confidential": ONLY_WHO_SEE_IT},
    "follow": {"named": EVERYONE, "confidential": ONLY_WHO_SEE_IT},
    "unfollow": {"named": EVERYONE, "confidential": ONLY_WHO_SEE_IT},
    "comments-read": {"named": EVERYONE, "confidential": ONLY_WHO_SEE_IT},
    "comments-write": {
        "named": row(401, 201, 201, 201, 201, 201, 201),
        "confidential": row(401, 201, 404, 201, 404, 404, 201),
    },
    "history": {"named": EVERYONE, "confidential": ONLY_WHO_SEE_IT},
    "similar": {"named": EVERYONE, "confidential": EVERYONE},
    # managers only; an insight outside the scope is named as not found
    "bulk-transition": {
        "named": row(401, 403, 403, 200, 400, 403, 200),
        "confidential": row(401, 403, 403, 200, 400, 403, 200),
    },
}
# Calls that change nothing even when allowed (reads, and undoing what was never done).
NO_CHANGE = {
    "list",
    "retrieve",
    "comments-read",
    "history",
    "similar",
    "withdraw-endorsement",
    "unfollow",
}
# The submitter hears of their insight anyway: following it adds no row (which would
# name the author of an anonymous one).
NO_CHANGE_FOR_AUTHOR = {"follow"}


@pytest.fixture
def insights(alice) -> dict[str, Insight]:
    """A named and a confidential insight by alice at RUH-01."""
    from feedback import services
    from portal.models import Channel

    def make(title, privacy):
        return services.insight_submit(
            author=alice,
            title=title,
            pain_point="The card reader at the counter freezes twice a day.",
            channel=Channel.objects.get(code="branch"),
            category=Category.objects.get(code="billing"),
            privacy=privacy,
        )

    return {
        "named": make("Card reader freezes at the counter", "named"),
        "confidential": make("Card reader freezes at the counter (private)", "confidential"),
    }


def _client(api, cast, role):
    return api(None if role == "anonymous" else cast[role])


def _state() -> dict:
    """Everything an insight endpoint could change."""
    return {
        "insights": [model_to_dict(i) for i in Insight.objects.order_by("pk")],
        "events": InsightEvent.objects.count(),
        "endorsements": sorted(Endorsement.objects.values_list("insight_id", "user_id")),
        "follows": sorted(Follow.objects.values_list("insight_id", "user_id")),
        "comments": Comment.objects.count(),
    }


def _fill(value, pk):
    if isinstance(value, str):
        return value.format(pk=pk)
    if isinstance(value, list):
        return [pk if item == "{pk}" else _fill(item, pk) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, pk) for key, item in value.items()}
    return value


@pytest.mark.parametrize("kind", ["named", "confidential"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_insight_endpoint_permissions(api, cast, insights, endpoint, role, kind):
    # given alice's named and confidential insights
    insight = insights[kind]
    method, path, body = ENDPOINTS[endpoint]
    client = _client(api, cast, role)
    before = _state()

    # when the role calls the endpoint on one of them
    kwargs = {"format": "json"} if body is not None else {}
    response = getattr(client, method)(
        INSIGHTS + _fill(path, insight.pk), _fill(body, insight.pk), **kwargs
    )

    # then the answer is the one the matrix says
    expected = EXPECTED[endpoint][kind][role]
    assert response.status_code == expected, response.content
    if expected == 401:
        assert response.has_header("WWW-Authenticate")
    # and only an allowed call that does something changes anything
    if (
        expected >= 400
        or endpoint in NO_CHANGE
        or (role == "alice" and endpoint in NO_CHANGE_FOR_AUTHOR)
    ):
        assert _state() == before
    else:
        assert _state() != before


@pytest.mark.parametrize(
    ("role", "sees_confidential"),
    [
        ("alice", True),
        ("bob", False),
        ("mona", True),
        ("omar", False),
        ("tariq", False),
        ("ada", True),
    ],
)
def test_lists_and_similar_show_a_confidential_insight_only_to_who_may_see_it(
    api, cast, insights, role, sees_confidential
):
    client = api(cast[role])
    expected = {insights["named"].pk} | (
        {insights["confidential"].pk} if sees_confidential else set()
    )

    listed = {item["id"] for item in client.get(INSIGHTS).json()["results"]}
    similar = {item["id"] for item in client.get(f"{INSIGHTS}similar/?text={SIMILAR_TEXT}").json()}

    assert listed == expected
    assert similar == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("alice", 403), ("mona", 200), ("ada", 200)],
)
def test_the_author_may_not_edit_once_the_insight_is_accepted(api, cast, insights, role, expected):
    # given alice's insight, accepted by mona
    insight = insights["named"]
    assert (
        api(cast["mona"])
        .post(f"{INSIGHTS}{insight.pk}/transition/", {"status": "accepted"}, format="json")
        .status_code
        == 200
    )

    # when someone changes its impact: alice by editing, managers by triage
    if role == "alice":
        response = api(cast[role]).patch(
            f"{INSIGHTS}{insight.pk}/", {"customer_impact": "low"}, format="json"
        )
    else:
        response = api(cast[role]).post(
            f"{INSIGHTS}{insight.pk}/triage/", {"customer_impact": "low"}, format="json"
        )

    # then only managers in scope still may
    assert response.status_code == expected
    insight.refresh_from_db()
    assert (insight.customer_impact == "low") is (expected == 200)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Renamed by the manager"),
        ("pain_point", "Rewritten"),
        ("suggested_fix", "Another fix"),
        ("team", "RUH-01-TELLER"),
    ],
)
def test_managers_edit_no_ones_text_not_even_through_triage(api, mona, insights, field, value):
    """Issue 6.22: triage carries its own fields; an author's fields are not among them."""
    insight = insights["named"]
    before = model_to_dict(insight)

    edited = api(mona).patch(f"{INSIGHTS}{insight.pk}/", {field: value}, format="json")
    triaged = api(mona).post(f"{INSIGHTS}{insight.pk}/triage/", {field: value}, format="json")

    assert edited.status_code == 403
    assert triaged.status_code == 400
    assert triaged.json() == {field: ["Not something triage changes."]}
    insight.refresh_from_db()
    assert model_to_dict(insight) == before


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("category", "policy", "policy"),
        ("channel", "phone", "phone"),
        ("frequency", "hourly", "hourly"),
        ("owner_department", "CS", "CS"),
        ("assignee", "mona", "mona"),
    ],
)
def test_managers_in_scope_triage(api, mona, insights, field, value, shown):
    insight = insights["named"]

    response = api(mona).post(f"{INSIGHTS}{insight.pk}/triage/", {field: value}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()[field] == shown
    assert api(mona).get(f"{INSIGHTS}{insight.pk}/").json()[field] == shown


@pytest.mark.parametrize("field", ["owner_department", "assignee"])
def test_the_author_may_not_set_triage_fields(api, alice, insights, field):
    insight = insights["named"]
    value = {"owner_department": "CS", "assignee": "mona"}[field]

    edited = api(alice).patch(f"{INSIGHTS}{insight.pk}/", {field: value}, format="json")
    triaged = api(alice).post(f"{INSIGHTS}{insight.pk}/triage/", {field: value}, format="json")

    assert edited.status_code == 400
    assert field in edited.json()
    assert triaged.status_code == 403


# --- categories ----------------------------------------------------------------------------
CATEGORY = {"code": "parking", "name_en": "Parking", "name_ar": "المواقف"}


@pytest.mark.parametrize("role", ROLES)
def test_categories_are_read_by_any_signed_in_user(api, cast, role):
    client = _client(api, cast, role)

    listing = client.get("/api/v1/categories/")
    detail = client.get("/api/v1/categories/waiting_time/")

    expected = 401 if role == "anonymous" else 200
    assert (listing.status_code, detail.status_code) == (expected, expected)
    if expected == 200:
        assert "waiting_time" in {c["code"] for c in listing.json()["results"]}
        assert detail.json()["name_ar"] == "وقت الانتظار"


@pytest.mark.parametrize("role", ROLES)
def test_categories_are_written_by_admins_only(api, cast, role):
    client = _client(api, cast, role)
    Category.objects.create(code="spare", name_en="Spare", name_ar="احتياطي")

    created = client.post("/api/v1/categories/", CATEGORY, format="json")
    changed = client.patch("/api/v1/categories/billing/", {"name_en": "Bills"}, format="json")
    removed = client.delete("/api/v1/categories/spare/")

    codes = (created.status_code, changed.status_code, removed.status_code)
    if role == "ada":
        assert codes == (201, 200, 204)
        assert Category.objects.filter(code="parking").exists()
        assert Category.objects.get(code="billing").name_en == "Bills"
        assert not Category.objects.filter(code="spare").exists()
    else:
        refused = 401 if role == "anonymous" else 403
        assert codes == (refused, refused, refused)
        assert not Category.objects.filter(code="parking").exists()
        assert Category.objects.get(code="billing").name_en == "Billing and payments"
        assert Category.objects.filter(code="spare").exists()


def test_a_category_in_use_cannot_be_deleted(api, ada, insights):
    response = api(ada).delete("/api/v1/categories/billing/")

    assert response.status_code == 400
    assert Category.objects.filter(code="billing").exists()
