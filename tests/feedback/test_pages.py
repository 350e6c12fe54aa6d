"""Insight pages: home, submission form with a photo, similar-insights panel, detail
with timeline and comments, triage with filters and bulk changes, CSV export, Arabic."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from PIL import Image

from feedback.models import Comment, Endorsement, Insight, InsightEvent
from portal.services import user_update
from tests.feedback.conftest import detail_url

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 9), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(**overrides) -> dict:
    data = {
        "title": "Receipt printer jams",
        "pain_point": "Customers wait while we clear the printer.",
        "suggested_fix": "Replace the printer at counter 2.",
        "channel": "branch",
        "category": "facilities",
        "location": "RUH-01",
        "customer_impact": "medium",
        "frequency": "daily",
        "privacy": "named",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def signed_in(client, user):
    client.force_login(user)
    return client


def messages_of(html: str) -> list[str]:
    return re.findall(r'<li class="message[^"]*">(.*?)</li>', html, re.S)


# --- home ----------------------------------------------------------------------------------
def test_frontline_home_has_the_report_button_my_insights_and_the_fixes_feed(
    client, submit, move, alice, bob, omar
):
    # given alice's open insight, a fix that went live, and a confidential fix elsewhere
    submit(by=alice, title="Mine, still open")
    done = submit(by=bob, title="Bob's fix", location="JED-01")
    move(done["id"], "accepted", "implemented", by=omar)
    hidden = submit(by=bob, title="Bob's private fix", privacy="confidential")
    move(hidden["id"], "accepted", "implemented", by=omar)

    # when alice opens the home page
    html = signed_in(client, alice).get("/").text

    # then she sees the big report button, her insight with its status, and the feed
    assert re.search(r'<a class="button big" href="/insights/new/">Report a customer', html)
    my_section, feed = html.split("You said, we did", 1)
    assert "Mine, still open" in my_section
    assert '<span class="status status-new">New</span>' in my_section
    assert "Bob&#x27;s fix" in feed
    assert "Mine, still open" not in feed
    # but not a confidential fix she may not see
    assert "private fix" not in html


def test_home_says_so_when_there_is_nothing_yet(client, alice):
    html = signed_in(client, alice).get("/").text

    assert "You have not reported anything yet." in html
    assert "Fixes that staff suggested will appear here once they are live." in html


def test_manager_home_shows_the_triage_queue_and_overdue_count(client, submit, mona):
    late = submit(title="Waiting")
    Insight.objects.filter(pk=late["id"]).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    submit(title="Fresh")

    html = signed_in(client, mona).get("/").text

    assert "2 new insights wait for triage." in html
    assert '<span class="badge danger">1 overdue</span>' in html


# --- submission ----------------------------------------------------------------------------
def test_the_form_submits_with_a_photo_and_redirects_to_the_insight(client, alice, mona, bob):
    client = signed_in(client, alice)
    assert client.get("/insights/new/").status_code == 200
    photo = io.BytesIO(png_bytes())
    photo.name = "printer.png"

    # when alice posts the form with a real photo, confidentially
    response = client.post("/insights/new/", form_data(photo=photo, privacy="confidential"))

    # then she lands on the new insight
    insight = Insight.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/insights/{insight.pk}/"
    page = client.get(response["Location"]).text
    assert "Receipt printer jams" in page
    assert "Thank you. Your insight was sent" in page
    assert f'<img src="/insights/{insight.pk}/photo/"' in page
    assert (insight.author, insight.privacy, insight.channel.code) == (
        alice,
        "confidential",
        "branch",
    )
    # and the photo is served to who may see the insight, and to nobody else
    for user, expected in [(alice, 200), (mona, 200), (bob, 404)]:
        served = signed_in(client, user).get(f"/insights/{insight.pk}/photo/")
        assert served.status_code == expected, user
        if expected == 200:
            assert served["Content-Type"] == "image/png"
            assert b"".join(served.streaming_content) == png_bytes()
    client.logout()
    assert client.get(f"/insights/{insight.pk}/photo/").status_code == 302


def test_a_named_insights_photo_is_served_to_any_colleague(client, alice, bob):
    photo = io.BytesIO(png_bytes())
    photo.name = "p.png"
    signed_in(client, alice).post("/insights/new/", form_data(photo=photo))
    insight = Insight.objects.get()

    assert signed_in(client, bob).get(f"/insights/{insight.pk}/photo/").status_code == 200


def test_an_insight_without_a_photo_has_none_to_serve(client, submit, alice):
    insight = submit()

    assert signed_in(client, alice).get(f"/insights/{insight['id']}/photo/").status_code == 404


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "Ensure this value has at most 200 characters (it has 201)."),
        ({"channel": "nope"}, "Select a valid choice."),
        ({"privacy": "public"}, "Select a valid choice. public is not one of the available"),
    ],
    ids=["missing-title", "title-over-200", "unknown-channel", "unknown-privacy"],
)
def test_a_bad_form_is_shown_again_with_the_error(client, alice, change, error):
    response = signed_in(client, alice).post("/insights/new/", form_data(**change))

    assert response.status_code == 200
    assert error in response.text
    assert 'class="error" role="alert"' in response.text
    assert not Insight.objects.exists()


def test_a_text_file_is_refused_as_photo_on_the_form(client, alice):
    fake = io.BytesIO(b"just text")
    fake.name = "x.jpg"

    response = signed_in(client, alice).post("/insights/new/", form_data(photo=fake))

    assert response.status_code == 200
    assert "Upload a valid image." in response.text
    assert not Insight.objects.exists()


def test_the_form_offers_the_similar_insights_panel(client, alice):
    html = signed_in(client, alice).get("/insights/new/").text

    assert 'hx-get="/insights/similar/"' in html
    assert 'hx-include="#id_title, #id_pain_point"' in html


def test_the_similar_panel_lists_matching_open_insights(client, submit, bob, alice):
    # given an open insight by bob
    match = submit(by=bob, title="Card machine keeps freezing", pain_point="Twice a day.")

    # when alice types a similar title
    response = signed_in(client, alice).get(
        "/insights/similar/", {"title": "the CARD machine keeps freezing!"}, HTTP_HX_REQUEST="true"
    )

    # then the partial lists it, with a "me too" button
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html
    assert f'href="/insights/{match["id"]}/"' in html
    assert "Card machine keeps freezing" in html
    assert f'hx-post="/insights/{match["id"]}/endorse/"' in html
    assert "Me too (0)" in html
    # and an unrelated text shows the empty state
    nothing = client.get("/insights/similar/", {"title": "parking"}).text
    assert "No similar open insights yet." in nothing


# --- detail --------------------------------------------------------------------------------
def test_the_detail_page_shows_the_timeline_and_comments(
    client, api, submit, move, alice, mona, bob
):
    # given alice's insight with a public and an internal comment, accepted by mona
    insight = submit()
    api(mona).post(detail_url(insight["id"], "comments"), {"body": "We hear you"}, format="json")
    api(mona).post(
        detail_url(insight["id"], "comments"),
        {"body": "Budget is tight", "is_internal": True},
        format="json",
    )
    move(insight["id"], "accepted", note="Approved for next week")

    # when alice opens it
    html = signed_in(client, alice).get(f"/insights/{insight['id']}/").text

    # then she sees the timeline and the public comment, not the internal one
    timeline = html.split("<h2>Timeline</h2>", 1)[1]
    assert re.search(r"Submitted\s*—\s*Alice Anwar", timeline)
    assert re.search(r"Status: New → Accepted\s*—\s*Mona", timeline)
    assert "Approved for next week" in timeline
    assert "We hear you" in html
    assert "Budget is tight" not in html
    assert "You reported this" in html
    assert 'id="transition-form"' not in html
    # and mona sees the internal comment and the status form
    html = signed_in(client, mona).get(f"/insights/{insight['id']}/").text
    assert "Budget is tight" in html
    assert "<strong>Internal</strong>" in html
    assert 'id="transition-form"' in html
    # with only the statuses it may move to
    choices = re.findall(r'<option value="([a-z_]+)"', html.split('id="transition-form"')[1])
    assert choices[:4] == ["in_progress", "implemented", "declined", "duplicate"]
    # and bob sees neither
    html = signed_in(client, bob).get(f"/insights/{insight['id']}/").text
    assert "Budget is tight" not in html
    assert 'id="transition-form"' not in html


def test_comment_endorse_follow_and_transition_through_the_page(client, submit, alice, bob, mona):
    insight = submit()
    url = f"/insights/{insight['id']}/"
    client = signed_in(client, bob)

    assert client.post(f"{url}comment/", {"body": "Same at my branch"}).status_code == 302
    endorsed = client.post(f"{url}endorse/", HTTP_HX_REQUEST="true")
    assert client.post(f"{url}follow/").status_code == 302

    assert Comment.objects.get().body == "Same at my branch"
    assert "✓ Me too (1)" in endorsed.text
    assert Endorsement.objects.filter(user=bob).count() == 1
    assert "Stop following" in client.get(url).text

    client = signed_in(client, mona)
    response = client.post(f"{url}transition/", {"status": "accepted", "note": "OK"}, follow=True)
    assert "Status changed. The submitter and followers were told." in response.text
    assert Insight.objects.get().status == "accepted"


def field_errors(html: str, form_id: str) -> dict[str, list[str]]:
    """The errors shown next to each field of one form of a page, by field name."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S).group(0)
    errors = {}
    for block in re.findall(r'<div class="field[^"]*has-error.*?</div>', form, re.S):
        name = re.search(r'name="([^"]+)"', block).group(1)
        errors[name] = re.findall(r'<p class="error" role="alert">(.*?)</p>', block, re.S)
    return errors


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        (
            {"status": "implemented", "note": "Typed note"},
            "status",
            "Select a valid choice. implemented is not one of the available choices.",
        ),
        ({"status": "declined", "note": ""}, "note", "Give the reason for declining."),
        (
            {"status": "duplicate", "note": "Typed note"},
            "duplicate_of",
            "Say which insight this one duplicates.",
        ),
        (
            {"status": "duplicate", "duplicate_of": "999999", "note": "Typed note"},
            "duplicate_of",
            "No such insight.",
        ),
    ],
    ids=[
        "not-allowed-from-new",
        "decline-without-reason",
        "duplicate-without-original",
        "missing-original",
    ],
)
def test_a_refused_transition_through_the_page_changes_nothing(
    client, submit, mona, post, field, message
):
    insight = submit()
    events = InsightEvent.objects.count()

    response = signed_in(client, mona).post(f"/insights/{insight['id']}/transition/", post)

    # the page comes back with the error next to the field and what was typed kept
    assert response.status_code == 400
    assert field_errors(response.text, "transition-form") == {field: [message]}
    if post.get("note"):
        assert "Typed note</textarea>" in response.text
    assert Insight.objects.get().status == "new"
    assert InsightEvent.objects.count() == events


@pytest.mark.parametrize(
    ("body", "message"),
    [("   ", "This field is required."), ("x" * 5001, "Ensure this value has at most")],
)
def test_a_refused_comment_comes_back_with_its_error_and_text(client, submit, bob, body, message):
    insight = submit()

    response = signed_in(client, bob).post(f"/insights/{insight['id']}/comment/", {"body": body})

    assert response.status_code == 400
    [error] = field_errors(response.text, "comment-form")["body"]
    assert error.startswith(message)
    assert not Comment.objects.exists()


def test_a_refused_internal_comment_from_a_frontline_user_says_why(client, submit, bob):
    insight = submit()

    response = signed_in(client, bob).post(
        f"/insights/{insight['id']}/comment/", {"body": "Psst", "is_internal": "on"}
    )

    assert response.status_code == 400
    assert "Only managers can write internal comments." in response.text
    assert "Psst</textarea>" in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("user", ["bob", "omar", "tariq"])
def test_only_managers_in_scope_move_an_insight_through_the_page(client, cast, submit, user):
    insight = submit()

    response = signed_in(client, cast[user]).post(
        f"/insights/{insight['id']}/transition/", {"status": "accepted"}
    )

    assert response.status_code == 403
    assert Insight.objects.get().status == "new"


def test_the_author_edits_through_the_page_while_new_only(client, submit, move, alice):
    insight = submit()
    url = f"/insights/{insight['id']}/edit/"
    client = signed_in(client, alice)

    response = client.post(url, form_data(title="Receipt printer jams daily", location=None))
    assert response.status_code == 302
    assert Insight.objects.get().title == "Receipt printer jams daily"

    move(insight["id"], "accepted")
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(title="Too late", location=None)).status_code == 403
    assert Insight.objects.get().title == "Receipt printer jams daily"


# --- triage --------------------------------------------------------------------------------
@pytest.fixture
def queue(submit, move, alice, bob, omar):
    """Insights at RUH-01 (mona's scope) in several states, and one at JED-01."""
    made = {
        "new-branch": submit(title="Queue at the door", channel="branch"),
        "new-phone": submit(title="Hold music too loud", channel="phone"),
        "accepted": submit(title="Card machine broken"),
        "done": submit(title="Lights fixed"),
        "elsewhere": submit(by=bob, title="Jeddah parking full"),
    }
    move(made["accepted"]["id"], "accepted")
    move(made["done"]["id"], "accepted", "implemented")
    return {name: insight["id"] for name, insight in made.items()}


def _rows(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="ids" value="(\d+)"', html)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"new-branch", "new-phone", "accepted"}),
        ("?filtered=1", {"new-branch", "new-phone", "accepted", "done"}),
        ("?status=new", {"new-branch", "new-phone"}),
        ("?channel=phone", {"new-phone"}),
        ("?status=implemented", {"done"}),
        ("?q=CARD", {"accepted"}),
        ("?location=JED-01", set()),
    ],
    ids=[
        "open-in-scope-by-default",
        "every-status-when-none-is-ticked",
        "status",
        "channel",
        "implemented",
        "search",
        "out-of-scope",
    ],
)
def test_the_triage_page_filters_the_managers_queue(client, mona, queue, query, expected):
    html = signed_in(client, mona).get(f"/insights/triage/{query}").text

    assert _rows(html) == {queue[name] for name in expected}


def test_the_triage_page_flags_overdue_insights(client, mona, queue):
    Insight.objects.filter(pk=queue["new-branch"]).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )

    html = signed_in(client, mona).get("/insights/triage/").text

    assert 'href="?overdue=true">1 overdue</a>' in html
    assert html.count('<tr class="overdue">') == 1
    overdue_only = client.get("/insights/triage/?overdue=true").text
    assert _rows(overdue_only) == {queue["new-branch"]}


@pytest.mark.parametrize("user", ["alice", "bob", "tariq"])
def test_the_triage_page_is_for_managers(client, cast, user):
    assert signed_in(client, cast[user]).get("/insights/triage/").status_code == 403


def test_bulk_status_change_applies_to_all_selected(client, mona, queue):
    ids = [queue["new-branch"], queue["new-phone"]]

    response = signed_in(client, mona).post(
        "/insights/triage/bulk/", {"ids": ids, "status": "under_review", "note": ""}, follow=True
    )

    assert "2 insights changed." in messages_of(response.text)
    assert set(Insight.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "under_review"
    }


@pytest.mark.parametrize(
    "bad", ["done", "elsewhere"], ids=["one-cannot-move", "one-outside-the-scope"]
)
def test_bulk_status_change_is_all_or_nothing(client, mona, queue, bad):
    # given two insights that could move, and one that cannot
    ids = [queue["new-branch"], queue["new-phone"], queue[bad]]
    before = list(Insight.objects.order_by("pk").values_list("status", flat=True))
    events = InsightEvent.objects.count()

    # when mona accepts all three from the triage page
    response = signed_in(client, mona).post(
        "/insights/triage/bulk/", {"ids": ids, "status": "accepted"}, follow=True
    )

    # then she is told nothing changed, and nothing did
    assert any(m.startswith("Nothing was changed") for m in messages_of(response.text))
    assert list(Insight.objects.order_by("pk").values_list("status", flat=True)) == before
    assert InsightEvent.objects.count() == events


# --- CSV export ----------------------------------------------------------------------------
def _export(client, user, query="") -> list[dict]:
    response = signed_in(client, user).get(f"/insights/export.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="insights-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize(
    "title",
    [
        '=HYPERLINK("http://evil.example/","click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
    ],
    ids=["equals", "plus", "minus", "at", "tab"],
)
def test_the_export_neutralises_formulas(client, submit, mona, title):
    submit(title=title, pain_point="=1+1", suggested_fix="@me")

    [row] = _export(client, mona)

    # (titles are stored trimmed: the tab goes, the formula is still neutralised)
    assert row["Title"] == "'" + title.strip()
    assert row["Pain point"] == "'=1+1"
    assert row["Suggested fix"] == "'@me"


def test_the_export_leaves_anonymous_authors_blank(client, submit, mona, alice):
    named = submit(title="Named one")
    anonymous = submit(title="Anonymous one", privacy="anonymous")
    both = submit(title="Anonymous and confidential", privacy="anonymous_confidential")

    rows = {int(r["ID"]): r for r in _export(client, mona)}

    assert rows[named["id"]]["Author"] == "Alice Anwar"
    assert rows[anonymous["id"]]["Author"] == ""
    assert rows[both["id"]]["Author"] == ""
    assert rows[anonymous["id"]]["Privacy"] == "Anonymous"


def test_the_export_has_the_rows_of_the_triage_page_with_its_filters(
    client, submit, mona, omar, queue
):
    """Issue 6.24: the triage page and its CSV export show the same rows."""
    hidden = submit(title="Confidential at RUH-01", privacy="confidential")

    for manager in (omar, mona):
        client.force_login(manager)
        on_the_page = _rows(client.get("/insights/triage/").text)
        assert {int(r["ID"]) for r in _export(client, manager)} == on_the_page
    assert {int(r["ID"]) for r in _export(client, omar)} == {queue["elsewhere"]}
    expected = {*queue.values(), hidden["id"]} - {queue["elsewhere"]}
    # (every status: with no status ticked; by default the page and export show open ones)
    assert {int(r["ID"]) for r in _export(client, mona, "?filtered=1")} == expected
    filtered = _export(client, mona, "?status=implemented")
    assert [int(r["ID"]) for r in filtered] == [queue["done"]]
    assert filtered[0]["Fix live since"] == timezone.localdate().isoformat()
    assert filtered[0]["Status"] == "Implemented"


def test_the_export_speaks_the_readers_language(client, submit, mona):
    insight = submit(title="طابور طويل عند الصراف")
    user_update(user=mona, language="ar")

    [row] = _export(client, mona)

    assert row["المعرّف"] == str(insight["id"])
    assert row["العنوان"] == "طابور طويل عند الصراف"
    assert row["الحالة"] == "جديدة"
    assert row["الموقع"] == "العليا"
    assert row["رمز الموقع"] == "RUH-01"


@pytest.mark.parametrize("user", ["alice", "bob", "tariq"])
def test_the_export_is_refused_to_non_managers(client, cast, submit, user):
    submit()

    response = signed_in(client, cast[user]).get("/insights/export.csv")

    assert response.status_code == 403


# --- Arabic --------------------------------------------------------------------------------
def test_pages_render_right_to_left_in_arabic(client, submit, move, alice, mona):
    insight = submit(title="طابور طويل عند الصراف")
    move(insight["id"], "accepted")
    user_update(user=alice, language="ar")
    client = signed_in(client, alice)

    home = client.get("/").text
    detail = client.get(f"/insights/{insight['id']}/").text
    form = client.get("/insights/new/").text

    for html in (home, detail, form):
        assert '<html lang="ar" dir="rtl">' in html
    assert "أبلغ عن مشكلة يواجهها العملاء" in home
    assert '<span class="status status-accepted">مقبولة</span>' in detail
    assert 'dir="auto">طابور طويل عند الصراف</h1>' in detail
    assert "أبلغ عن مشكلة يواجهها العملاء" in form
    # and an English reader gets the same pages left to right
    english = signed_in(client, mona).get(f"/insights/{insight['id']}/").text
    assert '<html lang="en" dir="ltr">' in english
    assert '<span class="status status-accepted">Accepted</span>' in english


# --- admin ---------------------------------------------------------------------------------
def test_the_admin_list_shows_status_endorsements_overdue_and_never_an_anonymous_author(
    client, api, submit, mona, bob, tariq
):
    named = submit(title="Named in admin")
    anonymous = submit(title="Anonymous in admin", privacy="anonymous")
    for person in (bob, tariq):
        api(person).post(detail_url(named["id"], "endorse"))
    Insight.objects.filter(pk=anonymous["id"]).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )

    html = signed_in(client, mona).get("/admin/feedback/insight/").text

    rows = {
        int(pk): row
        for pk, row in re.findall(r'name="_selected_action" value="(\d+)"(.*?)</tr>', html, re.S)
    }
    assert '<td class="field-endorsements">2</td>' in rows[named["id"]]
    assert "Alice Anwar" in rows[named["id"]]
    assert '<td class="field-author_display">Anonymous</td>' in rows[anonymous["id"]]
    assert 'alt="True"' in rows[anonymous["id"]].split('class="field-overdue"')[1][:80]
    assert 'alt="False"' in rows[named["id"]].split('class="field-overdue"')[1][:80]


def test_admin_bulk_actions_go_through_the_workflow(client, submit, move, mona):
    fresh = submit(title="Fresh")
    done = submit(title="Done")
    move(done["id"], "accepted", "implemented")
    client = signed_in(client, mona)

    accepted = client.post(
        "/admin/feedback/insight/",
        {"action": "mark_accepted", "_selected_action": [fresh["id"]], "index": 0},
        follow=True,
    )
    refused = client.post(
        "/admin/feedback/insight/",
        {"action": "mark_in_progress", "_selected_action": [fresh["id"], done["id"]], "index": 0},
        follow=True,
    )

    assert "1 insight changed." in accepted.text
    assert "Nothing was changed" in refused.text
    assert Insight.objects.get(pk=fresh["id"]).status == "accepted"
    assert Insight.objects.get(pk=done["id"]).status == "implemented"
    last = InsightEvent.objects.filter(insight_id=fresh["id"]).last()
    assert (last.from_status, last.to_status, last.actor) == ("new", "accepted", mona)


@pytest.mark.parametrize(
    ("user", "expected"), [("alice", 302), ("tariq", 302), ("omar", 200), ("mona", 200)]
)
def test_the_admin_insight_list_is_for_managers(client, cast, submit, user, expected):
    submit()

    response = signed_in(client, cast[user]).get("/admin/feedback/insight/")

    assert response.status_code == expected


# --- safety --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "data", "fallback"),
    [
        (
            "/insights/triage/bulk/",
            {"ids": ["{pk}"], "status": "under_review"},
            "/insights/triage/",
        ),
        ("/insights/triage/bulk/", {"status": "under_review"}, "/insights/triage/"),
        ("/insights/{pk}/endorse/", {}, "/insights/{pk}/"),
    ],
    ids=["bulk-change", "bulk-change-refused", "endorse"],
)
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_forms_never_redirect_off_the_site(client, submit, mona, path, data, fallback, target):
    insight = submit()
    pk = str(insight["id"])
    data = {k: [pk] if v == ["{pk}"] else v for k, v in data.items()}

    response = signed_in(client, mona).post(path.format(pk=pk), {**data, "next": target})

    assert response.status_code == 302
    assert response["Location"] == fallback.format(pk=pk)


def test_forms_go_back_to_a_page_on_the_site(client, submit, mona):
    insight = submit()

    response = signed_in(client, mona).post(
        "/insights/triage/bulk/",
        {"ids": [insight["id"]], "status": "under_review", "next": "/insights/triage/?status=new"},
    )

    assert response["Location"] == "/insights/triage/?status=new"


def test_user_text_is_escaped_on_every_page(client, api, submit, mona, alice):
    script = '<script>alert("x")</script>'
    insight = submit(title=f"Title {script}", pain_point=f"Pain {script}", suggested_fix=script)
    api(mona).post(detail_url(insight["id"], "comments"), {"body": script}, format="json")
    move_body = {"status": "declined", "note": script}
    api(mona).post(detail_url(insight["id"], "transition"), move_body, format="json")

    for user, path in [
        (alice, f"/insights/{insight['id']}/"),
        (alice, "/insights/"),
        (alice, "/insights/mine/"),
        (alice, "/"),
        (alice, "/notifications/"),
        (mona, "/insights/triage/"),
        (mona, "/admin/feedback/insight/"),
        (mona, f"/admin/feedback/insight/{insight['id']}/change/"),
    ]:
        html = signed_in(client, user).get(path).text
        assert "<script>alert" not in html, path
    detail = signed_in(client, alice).get(f"/insights/{insight['id']}/").text
    assert detail.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 4


@pytest.mark.parametrize("target", ["x", "triage", "//evil.example/", "https://evil.example/"])
def test_a_next_that_is_not_a_path_here_goes_back_to_the_default(client, submit, bob, mona, target):
    insight = submit()["id"]

    endorsed = signed_in(client, bob).post(f"/insights/{insight}/endorse/", {"next": target})
    bulk = signed_in(client, mona).post(
        "/insights/triage/bulk/", {"ids": [insight], "status": "under_review", "next": target}
    )

    assert (endorsed.status_code, endorsed["Location"]) == (302, f"/insights/{insight}/")
    assert (bulk.status_code, bulk["Location"]) == (302, "/insights/triage/")
    assert Endorsement.objects.filter(insight_id=insight).count() == 1
    assert Insight.objects.get(pk=insight).status == "under_review"


def test_every_id_on_the_triage_page_is_unique(client, submit, mona):
    submit()

    html = signed_in(client, mona).get("/insights/triage/").text

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert '<label for="bulk_status">' in html


@pytest.mark.parametrize(("user", "triage_filters"), [("alice", False), ("mona", True)])
def test_the_list_offers_triage_filters_to_managers_only(client, cast, user, triage_filters):
    html = signed_in(client, cast[user]).get("/insights/").text

    assert 'name="status"' in html and 'name="q"' in html
    for name in ("owner_department", "privacy", "overdue", "assigned_to_me"):
        assert (f'name="{name}"' in html) == triage_filters
    assert "---------" not in html
