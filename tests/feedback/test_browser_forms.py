"""A real Chromium on the insight forms: what a new user sees and taps, in English and
Arabic (right to left), on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

from tests.conftest import DESKTOP, PHONE, log_in_through_the_page
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = {"phone": PHONE, "desktop": DESKTOP}


def open_tab(browser, *, screen: str, javascript: bool = True):
    context = browser.new_context(
        viewport=SCREENS[screen],
        java_script_enabled=javascript,
        has_touch=screen == "phone",
        is_mobile=screen == "phone",
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return context, tab


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("language", ["en", "ar"])
def test_each_privacy_choice_is_one_card_with_the_radio_beside_its_label(
    browser, live_server, org, language, screen
):
    """Issue 6.12: the radio sits on the label's line, and the whole card selects it."""
    make_user("alice", team=org.team_ruh, language=language)
    context, page = open_tab(browser, screen=screen)
    try:
        log_in_through_the_page(page, live_server.url, "alice")
        page.goto(f"{live_server.url}/insights/new/")
        rtl = page.locator("html").get_attribute("dir") == "rtl"
        assert rtl == (language == "ar")
        cards = page.locator("fieldset.privacy .radio-option")
        expect(cards).to_have_count(4)

        for index in range(4):
            card = cards.nth(index)
            radio = card.locator("input[type=radio]")
            label = card.locator("strong")
            card.scroll_into_view_if_needed()
            box, radio_box, label_box = (
                card.bounding_box(),
                radio.bounding_box(),
                label.bounding_box(),
            )
            # the radio and its label share a line: their vertical extents overlap
            assert radio_box["y"] < label_box["y"] + label_box["height"], (index, radio_box)
            assert label_box["y"] < radio_box["y"] + radio_box["height"], (index, label_box)
            # the radio comes first in reading order, at the card's inline start
            if rtl:
                assert radio_box["x"] > label_box["x"] + label_box["width"] - 1
            else:
                assert radio_box["x"] + radio_box["width"] < label_box["x"] + 1
            # and it is a small box, not a line across the card
            assert radio_box["width"] < 40

            # when the card is tapped on its far side, away from radio and text
            far_x = 6 if rtl else box["width"] - 6
            if screen == "phone":
                card.tap(position={"x": far_x, "y": box["height"] - 6})
            else:
                card.click(position={"x": far_x, "y": box["height"] - 6})

            # then that choice is made
            expect(radio).to_be_checked()
    finally:
        context.close()


def _accepted_insight(org):
    from feedback import services
    from feedback.models import Category
    from portal.models import Channel, Role

    alice = make_user("alice", team=org.team_ruh)
    mona = make_user("mona", roles=[Role.MANAGER], team=org.team_ruh, managed=[org.ruh01])
    insight = services.insight_submit(
        author=alice,
        title="Receipt printer jams",
        pain_point="Customers wait while we clear the printer.",
        channel=Channel.objects.get(code="branch"),
        category=Category.objects.get(code="facilities"),
    )
    return services.insight_transition(insight=insight, by=mona, to_status="accepted")


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_status_form_shows_only_the_fields_of_the_chosen_status(
    browser, live_server, org, screen
):
    """Issue 6.17: with script, each status shows its own fields, and declining says it
    needs a reason before anything is sent."""
    insight = _accepted_insight(org)
    context, page = open_tab(browser, screen=screen)
    try:
        log_in_through_the_page(page, live_server.url, "mona")
        page.goto(f"{live_server.url}/insights/{insight.pk}/")
        form = page.locator("#transition-form")
        note = form.locator("textarea[name=note]")
        original = form.locator("input[name=duplicate_of]")
        live_since = form.locator("input[name=implemented_at]")
        notice = form.locator(".notice")

        # nothing chosen yet: only the note
        expect(note).to_be_visible()
        expect(original).to_be_hidden()
        expect(live_since).to_be_hidden()
        expect(notice).to_be_hidden()

        form.locator("select[name=status]").select_option("duplicate")
        expect(original).to_be_visible()
        expect(live_since).to_be_hidden()
        expect(live_since).to_be_disabled()  # hidden fields are not sent

        form.locator("select[name=status]").select_option("implemented")
        expect(live_since).to_be_visible()
        expect(original).to_be_hidden()

        # when she chooses to decline, she is told a reason is needed
        form.locator("select[name=status]").select_option("declined")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("Declining needs a reason")
        expect(original).to_be_hidden()
        expect(live_since).to_be_hidden()
        assert note.evaluate("element => element.required")

        # and sending without one is stopped in the browser, before anything is sent
        requests = []
        page.on("request", lambda request: requests.append(request.method))
        form.get_by_role("button", name="Change status").click()
        assert note.evaluate("element => element.validity.valueMissing")
        assert "POST" not in requests
        insight.refresh_from_db()
        assert insight.status == "accepted"

        # while a status that needs no reason sends with an empty note
        form.locator("select[name=status]").select_option("in_progress")
        assert not note.evaluate("element => element.required")
        with page.expect_navigation():
            form.get_by_role("button", name="Change status").click()
        insight.refresh_from_db()
        assert insight.status == "in_progress"
    finally:
        context.close()


def test_without_script_the_status_form_shows_every_field_that_can_apply(browser, live_server, org):
    """Issue 6.17: progressive enhancement: without script nothing is hidden."""
    insight = _accepted_insight(org)
    context, page = open_tab(browser, screen="desktop", javascript=False)
    try:
        log_in_through_the_page(page, live_server.url, "mona")
        page.goto(f"{live_server.url}/insights/{insight.pk}/")
        form = page.locator("#transition-form")

        for name in ("note", "duplicate_of", "implemented_at"):
            expect(form.locator(f"[name={name}]")).to_be_visible()
            expect(form.locator(f"[name={name}]")).to_be_enabled()
        expect(form.get_by_text("Required when declining")).to_be_visible()

        form.locator("select[name=status]").select_option("implemented")
        with page.expect_navigation():
            form.get_by_role("button", name="Change status").click()
        insight.refresh_from_db()
        assert insight.status == "implemented"
    finally:
        context.close()


def _open_report_by_bob(org):
    from feedback import services
    from feedback.models import Category
    from portal.models import Channel

    bob = make_user("bob", team=org.team_jed)
    return services.insight_submit(
        author=bob,
        title="Card machine keeps freezing",
        pain_point="The card machine at counter 3 freezes during payment.",
        channel=Channel.objects.get(code="branch"),
        category=Category.objects.get(code="facilities"),
    )


def _type_a_similar_report(page, live_server):
    log_in_through_the_page(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/insights/new/")
    page.fill("input[name=title]", "The card machine keeps freezing")
    match = page.locator("#similar .similar-item").first
    expect(match).to_be_visible()
    return match


@pytest.mark.parametrize("screen", list(SCREENS))
def test_after_me_too_from_the_form_it_says_done_and_offers_a_way_out(
    browser, live_server, org, screen
):
    """Issue 6.14: "me too" from the report form says it is done and offers to leave."""
    existing = _open_report_by_bob(org)
    make_user("alice", team=org.team_ruh)
    context, page = open_tab(browser, screen=screen)
    try:
        match = _type_a_similar_report(page, live_server)

        match.get_by_role("button", name="Me too (0)").click()

        done = page.locator("#similar .endorse-done")
        expect(done).to_be_visible()
        expect(done).to_have_attribute("role", "status")
        expect(done).to_contain_text("You do not need to send this form.")
        expect(match.get_by_role("button", name="✓ Me too (1)")).to_be_visible()
        assert existing.endorsements.filter(user__username="alice").exists()
        # and the way out leaves the form for the home page
        with page.expect_navigation():
            done.get_by_role("link", name="Leave this form").click()
        assert page.url == f"{live_server.url}/"
    finally:
        context.close()


def test_on_a_phone_a_similar_insight_opens_in_the_same_tab(browser, live_server, org):
    """Issue 6.14: on a phone the similar insight opens in the same tab, not a new one."""
    existing = _open_report_by_bob(org)
    make_user("alice", team=org.team_ruh)
    context, page = open_tab(browser, screen="phone")
    try:
        match = _type_a_similar_report(page, live_server)

        with page.expect_navigation():
            match.get_by_role("link", name="Card machine keeps freezing").tap()

        assert page.url == f"{live_server.url}{existing.get_absolute_url()}"
        assert len(context.pages) == 1
    finally:
        context.close()


def test_on_a_desktop_a_similar_insight_opens_beside_the_form(browser, live_server, org):
    """Issue 6.14: on a desktop it opens in a new tab, the typed form kept in this one."""
    existing = _open_report_by_bob(org)
    make_user("alice", team=org.team_ruh)
    context, page = open_tab(browser, screen="desktop")
    try:
        match = _type_a_similar_report(page, live_server)

        with page.expect_popup() as popup:
            match.get_by_role("link", name="Card machine keeps freezing").click()

        popup.value.wait_for_load_state()
        assert popup.value.url == f"{live_server.url}{existing.get_absolute_url()}"
        assert page.url == f"{live_server.url}/insights/new/"
        expect(page.locator("input[name=title]")).to_have_value("The card machine keeps freezing")
    finally:
        context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_triage_filters_fold_on_a_phone_and_stay_open_on_a_desktop(
    browser, live_server, org, screen
):
    """Issue 6.16: on a phone the filters fold behind a summary that opens them; on a
    desktop they are simply there."""
    _accepted_insight(org)
    context, page = open_tab(browser, screen=screen)
    try:
        log_in_through_the_page(page, live_server.url, "mona")
        page.goto(f"{live_server.url}/insights/triage/")
        fold = page.locator("details.filters-fold")
        summary = fold.locator("summary")
        chip = fold.locator("label.chip", has_text="Implemented")

        if screen == "phone":
            expect(summary).to_be_visible()
            expect(chip).to_be_hidden()
            summary.tap()
            expect(chip).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        else:
            expect(summary).to_be_hidden()
            expect(chip).to_be_visible()

        # the status chips tick like checkboxes, and filtering keeps what was ticked
        chip.click()
        expect(chip.locator("input")).to_be_checked()
        with page.expect_navigation():
            fold.get_by_role("button", name="Filter").click()
        assert "status=implemented" in page.url
        expect(
            page.locator("details.filters-fold label.chip", has_text="Implemented").locator("input")
        ).to_be_checked()
    finally:
        context.close()
