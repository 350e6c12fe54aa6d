"""The services themselves keep the rules (issue 6.23), and writes cost the same number
of queries however many people they touch (issue 6.25)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from feedback import services
from feedback.models import Endorsement, Follow, Insight
from portal.models import Notification, User
from tests.factories import make_user
from tests.feedback.conftest import INSIGHTS, detail_url, insight_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(api, alice) -> Insight:
    """Alice's confidential report at RUH-01: bob (JED-01, frontline) may not see it."""
    response = api(alice).post(INSIGHTS, insight_payload(privacy="confidential"), format="json")
    return Insight.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize(
    "call",
    [
        lambda i, u: services.comment_add(insight=i, by=u, body="Me too"),
        lambda i, u: services.insight_endorse(insight=i, user=u),
        lambda i, u: services.insight_unendorse(insight=i, user=u),
        lambda i, u: services.insight_follow(insight=i, user=u),
        lambda i, u: services.insight_unfollow(insight=i, user=u),
        lambda i, u: services.insight_edit(insight=i, by=u, title="Mine now"),
        lambda i, u: services.insight_triage(insight=i, by=u, customer_impact="low"),
        lambda i, u: services.insight_transition(insight=i, by=u, to_status="accepted"),
    ],
    ids=["comment", "endorse", "unendorse", "follow", "unfollow", "edit", "triage", "transition"],
)
@pytest.mark.parametrize("who", ["bob", "omar"])
def test_a_service_called_for_an_insight_its_user_may_not_see_raises(secret, cast, call, who):
    with pytest.raises(Http404):
        call(secret, cast[who])
    assert not Endorsement.objects.exists() and not Follow.objects.exists()
    assert secret.comments.count() == 0


def test_services_refuse_what_the_user_sees_but_may_not_do(api, alice, bob):
    insight = Insight.objects.get(
        pk=api(alice).post(INSIGHTS, insight_payload(), format="json").json()["id"]
    )

    with pytest.raises(PermissionDenied):
        services.insight_edit(insight=insight, by=bob, title="Not mine")
    with pytest.raises(PermissionDenied):
        services.insight_triage(insight=insight, by=bob, customer_impact="low")
    with pytest.raises(PermissionDenied):
        services.insight_transition(insight=insight, by=bob, to_status="accepted")


def _followed_insight(api, alice, org, n: int, tag: str) -> int:
    pk = api(alice).post(INSIGHTS, insight_payload(), format="json").json()["id"]
    for i in range(n):
        follower = make_user(f"f{tag}{i}", team=org.team_ruh)
        api(follower).post(detail_url(pk, "follow"))
        api(follower).post(detail_url(pk, "endorse"))
    return pk


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


def test_telling_followers_costs_the_same_for_2_as_for_25(api, alice, mona, org):
    few = _followed_insight(api, alice, org, 2, "a")
    many = _followed_insight(api, alice, org, 25, "b")

    # A status change reads the insight, the followers (with their roles and scope,
    # to judge who may see it) and writes the event and one batch of notifications.
    def accept(pk):
        # a fresh instance each time: nothing of mona (roles, scope) cached from before
        manager = User.objects.get(pk=mona.pk)
        api(manager).post(detail_url(pk, "transition"), {"status": "accepted"})

    counts = [_queries(lambda pk=pk: accept(pk)) for pk in (few, many)]

    assert counts[0] == counts[1], counts
    assert Notification.objects.filter(kind="insight_status").count() == 3 + 26


def test_merging_a_duplicate_costs_the_same_for_2_as_for_25_endorsements(api, alice, mona, org):
    original = api(alice).post(INSIGHTS, insight_payload(title="Original"), format="json").json()
    few = _followed_insight(api, alice, org, 2, "c")
    many = _followed_insight(api, alice, org, 25, "d")

    def merge(pk):
        response = api(User.objects.get(pk=mona.pk)).post(
            detail_url(pk, "transition"),
            {"status": "duplicate", "duplicate_of": original["id"]},
            format="json",
        )
        assert response.status_code == 200, response.content

    counts = [_queries(lambda pk=pk: merge(pk)) for pk in (few, many)]

    assert counts[0] == counts[1], counts
    assert Endorsement.objects.filter(insight_id=original["id"]).count() == 27
    assert Follow.objects.filter(insight_id=original["id"]).count() == 27
