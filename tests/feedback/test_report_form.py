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


# --- ranking and grouping ------------------------------------------------------------------
TITLE = "Long queue at the branch at lunchtime"
PAIN = "Customers wait over 40 minutes because two counters close for breaks."


@pytest.fixture
def same_report_at_five_places(submit, bob, org):
    """The same report at five locations; the one at alice's location (RUH-01) is the
    oldest, so newest-first alone would rank it last."""
    from tests.factories import LocationFactory

    ids = {"RUH-01": submit(by=bob, title=TITLE, pain_point=PAIN, location="RUH-01")["id"]}
    for code in ("JED-01", "DMM-01", "DMM-02", "MKK-01"):
        if code != "JED-01":
            LocationFactory(code=code, region=org.jed)
        ids[code] = submit(by=bob, title=TITLE, pain_point=PAIN, location=code)["id"]
    return ids


def test_among_equally_similar_insights_the_users_location_comes_first(
    api, alice, same_report_at_five_places
):
    """Issue 6.15: the similar search ranks the user's own location first among equals."""
    found = api(alice).get("/api/v1/insights/similar/", {"text": TITLE}).json()

    assert [item["location"] for item in found][:1] == ["RUH-01"]
    assert len({item["score"] for item in found}) == 1  # they are equally similar
    # and the others follow newest first
    assert [item["id"] for item in found[1:]] == sorted(
        (pk for code, pk in same_report_at_five_places.items() if code != "RUH-01"), reverse=True
    )


def test_the_panel_shows_one_line_for_the_same_report_at_many_places(
    client, alice, submit, bob, same_report_at_five_places
):
    """Issue 6.15: identical titles are one line, at the user's location, with a count."""
    other = submit(by=bob, title="Queue at the branch is long in the morning", location="JED-01")

    html = signed_in(client, alice).get("/insights/similar/", {"title": TITLE}).text

    assert html.count('class="similar-item"') == 2
    assert html.count(f">{TITLE}</a>") == 1
    ours = same_report_at_five_places["RUH-01"]
    assert f'href="/insights/{ours}/"' in html
    assert f'hx-post="/insights/{ours}/endorse/"' in html
    assert "Olaya (your location)" in html
    assert "and 4 other places" in html
    assert f'href="/insights/{other["id"]}/"' in html


def test_the_panel_counts_other_places_in_arabic_with_the_right_plural(
    client, alice, same_report_at_five_places
):
    """Issue 6.15 and 6.18: the count of other places is an Arabic plural."""
    from portal.services import user_update

    user_update(user=alice, language="ar")

    html = signed_in(client, alice).get("/insights/similar/", {"title": TITLE}).text

    assert "العليا (موقعك)" in html
    assert "و4 أماكن أخرى" in html
