"""The report form's similar-insights panel, through the test client: "me too" from
the panel, and how similar insights are ranked and grouped."""

import pytest

from feedback.models import Endorsement
from tests.feedback.test_pages import signed_in

pytestmark = pytest.mark.django_db


def test_me_too_from_the_panel_says_done_and_offers_a_way_out(client, submit, bob, alice):
    """Issue 6.14: the answer to "me too" from the form says it is done, links to the
    insight and offers to leave the form."""
    match = submit(by=bob, title="Card machine keeps freezing", location="JED-01")
    url = f"/insights/{match['id']}/endorse/"

    html = signed_in(client, alice).post(url, {"bare": "1"}, HTTP_HX_REQUEST="true").text

    assert Endorsement.objects.filter(user=alice, insight_id=match["id"]).exists()
    assert '<div class="endorse-done message" role="status">' in html
    assert "Done: your “me too” is counted. You do not need to send this form." in html
    assert f'<a class="button" href="/insights/{match["id"]}/">See that insight</a>' in html
    assert '<a class="button secondary" href="/">Leave this form</a>' in html
    assert "<form" not in html  # it sits inside the report form: no nested form

    # and withdrawing it says nothing of the kind
    again = client.post(url, {"bare": "1", "action": "withdraw"}, HTTP_HX_REQUEST="true").text
    assert "endorse-done" not in again
    assert "Me too (0)" in again


def test_me_too_on_ones_own_insight_says_why_in_place(client, submit, alice):
    """Issue 6.14: a refused "me too" from the panel says why where it was tapped."""
    own = submit(by=alice, title="Card machine keeps freezing")

    html = (
        signed_in(client, alice)
        .post(f"/insights/{own['id']}/endorse/", {"bare": "1"}, HTTP_HX_REQUEST="true")
        .text
    )

    assert '<p class="error" role="alert">You cannot endorse your own insight.</p>' in html
    assert "endorse-done" not in html


def test_similar_links_stay_in_the_same_tab_on_phones(client, submit, bob, alice):
    """Issue 6.14: the panel's links are marked for app.js to keep them in the tab on phones."""
    submit(by=bob, title="Card machine keeps freezing", location="JED-01")

    html = signed_in(client, alice).get("/insights/similar/", {"title": "card machine freezing"})

    assert 'target="_blank" rel="noopener" data-same-tab-on-phone' in html.text
