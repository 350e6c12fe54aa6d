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
