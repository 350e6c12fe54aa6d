"""A real Chromium on a phone: the main menu folds behind its toggle only when script
runs to unfold it; without script the menu is simply there."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PHONE, log_in_through_the_page
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_without_javascript_the_phone_menu_is_visible(browser, live_server, org, language):
    """Issue 6.13: with script off the toggle cannot work, so the menu must not be folded."""
    make_user("alice", team=org.team_ruh, language=language)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in_through_the_page(page, live_server.url, "alice")

        nav = page.locator("nav.main-nav")
        expect(nav).to_be_visible()
        expect(nav.locator(".notif-link")).to_be_visible()
        expect(page.locator(".nav-toggle")).to_be_hidden()
        # and every link of it can be followed
        with page.expect_navigation():
            nav.locator(".notif-link").click()
        assert page.url == f"{live_server.url}/notifications/"
    finally:
        context.close()


def test_with_javascript_the_phone_menu_folds_behind_a_working_toggle(browser, live_server, org):
    """Issue 6.13: with script the menu is folded, and the toggle opens and closes it."""
    make_user("alice", team=org.team_ruh)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in_through_the_page(page, live_server.url, "alice")

        nav = page.locator("nav.main-nav")
        toggle = page.locator(".nav-toggle")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(nav).to_be_hidden()

        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(nav).to_be_visible()

        toggle.click()
        expect(nav).to_be_hidden()
    finally:
        context.close()
