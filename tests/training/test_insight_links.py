"""Standard versions that answer insights: the ids go through feedback's access rule (one
the trainer may not see is "no such insight"), and publishing the version tells the
submitters, anonymous ones too, that their insight changed the standard."""

import pytest
from django.utils import translation

from portal.anonymity import author_token
from portal.models import Notification
from tests.factories import make_user
from tests.feedback.conftest import INSIGHTS, insight_payload
from tests.training.conftest import STANDARDS, TEXT_AR, TEXT_EN

pytestmark = pytest.mark.django_db
VERSIONS = f"{STANDARDS}STD-GREET-01/versions/"


@pytest.fixture
def insights(api, alice, bob, org):
    carla = make_user("carla", team=org.team_ruh, language="ar")

    def submit(user, privacy):
        response = api(user).post(INSIGHTS, insight_payload(privacy=privacy), format="json")
        assert response.status_code == 201, response.content
        return response.json()["id"]

    return {
        "named": submit(alice, "named"),
        "anonymous": submit(bob, "anonymous"),
        "confidential": submit(carla, "confidential"),
    }


def test_an_insight_the_trainer_may_not_see_is_no_such_insight(api, tariq, standard, insights):
    hidden = api(tariq).post(
        VERSIONS, {"text_en": "x", "answers_insights": [insights["confidential"]]}, format="json"
    )
    missing = api(tariq).post(
        VERSIONS, {"text_en": "x", "answers_insights": [999999]}, format="json"
    )

    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["answers_insights"] == [f"No such insight: #{insights['confidential']}"]
    assert missing.json()["answers_insights"] == ["No such insight: #999999"]


def test_publishing_tells_the_submitters_their_insight_changed_the_standard(
    api, client, tariq, alice, bob, standard, insights
):
    answered = [insights["named"], insights["anonymous"]]
    draft = api(tariq).post(
        VERSIONS,
        {"text_en": TEXT_EN, "text_ar": TEXT_AR, "answers_insights": answered},
        format="json",
    )
    assert draft.status_code == 201, draft.content
    assert sorted(draft.json()["answers_insights"]) == sorted(answered)
    assert not Notification.objects.filter(kind="insight_changed_standard").exists()

    published = api(tariq).post(f"{VERSIONS}1/publish/")

    assert published.status_code == 200
    told = Notification.objects.filter(kind="insight_changed_standard")
    # alice by name; bob, who wrote anonymously, only by the keyed hash that stands for him
    assert {(n.recipient_id, n.recipient_token) for n in told} == {
        (alice.pk, ""),
        (None, author_token(bob)),
    }
    note = told.get(recipient=alice)
    with translation.override("en"):
        assert (
            note.rendered.title == f"Your insight #{insights['named']} changed a service standard"
        )
        assert "Greet and identify" in note.rendered.body
    with translation.override("ar"):
        assert "الترحيب والتعريف" in type(note).objects.get(pk=note.pk).rendered.body
    # and bob finds it among his own notifications
    client.force_login(bob)
    page = client.get("/notifications/").content.decode()
    assert f"Your insight #{insights['anonymous']} changed a service standard" in page
    # and the insight's page says which version answered it
    detail = client.get(f"/insights/{insights['anonymous']}/").content.decode()
    assert "/training/standards/STD-GREET-01/versions/1/" in detail
