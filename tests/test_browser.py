"""A real Chromium: log in, switch to Arabic, right-to-left; nothing from other hosts."""

import pytest
from playwright.sync_api import expect

from portal.models import User
from tests.conftest import PHONE, foreign_requests, log_in_through_the_page
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_log_in_and_switch_to_arabic(page, live_server, org):
    # Given an English-speaking member of staff, logged in
    make_user("alice", team=org.team_ruh, display_name="Alice Anwar")
    log_in_through_the_page(page, live_server.url, "alice")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("en", "ltr")
    assert page.locator("nav.main-nav").get_by_role("link", name="Home").count() == 1

    # When she clicks the language switcher
    with page.expect_navigation():
        page.get_by_role("button", name="العربية").click()

    # Then the page is Arabic, right to left, with Arabic navigation
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    nav = page.locator("nav.main-nav")
    assert nav.get_by_role("link", name="الرئيسية").count() == 1
    assert nav.get_by_role("link", name="الإشعارات").count() == 1
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.get_by_role("button", name="English").count() == 1
    # And her choice is saved, and it stays after a reload
    assert User.objects.get(username="alice").language == "ar"
    page.reload()
    assert html.get_attribute("dir") == "rtl"
    # And nothing was loaded from another host
    assert page.requested
    assert foreign_requests(page, live_server) == []


def test_the_api_docs_load_nothing_from_another_host(page, live_server, org):
    make_user("alice", team=org.team_ruh)
    log_in_through_the_page(page, live_server.url, "alice")

    page.goto(f"{live_server.url}/api/docs/", wait_until="networkidle")

    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Frontline Voice API")
    assert any("/api/schema/" in url for url in page.requested)
    assert foreign_requests(page, live_server) == []


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_portal_fits_a_phone(page, live_server, org, language):
    make_user("alice", team=org.team_ruh, language=language)
    log_in_through_the_page(page, live_server.url, "alice")

    assert page.locator("html").get_attribute("lang") == language
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"
    # The menu folds behind a button and opens on tap.
    # (waiting assertions: a check that does not wait passes before the page is ready)
    nav = page.locator("nav.main-nav")
    expect(nav).to_be_hidden()
    toggle = page.locator(".nav-toggle")
    assert toggle.get_attribute("aria-label") == ("القائمة" if language == "ar" else "Menu")
    toggle.click()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    # and from the keyboard: it is a real button
    toggle.focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_hidden()
    page.keyboard.press("Space")
    expect(nav).to_be_visible()
    assert foreign_requests(page, live_server) == []
