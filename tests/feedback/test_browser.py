"""A real Chromium: a frontline employee reports in Arabic on a phone, a manager
accepts it on a desktop, and the employee sees the notification and the new status."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import Insight
from portal.models import Role
from tests.conftest import DESKTOP, PHONE, log_in_through_the_page
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "طابور طويل عند الصراف وقت الظهر"
PAIN_POINT = "العملاء ينتظرون أكثر من نصف ساعة بين الثانية عشرة والثانية، وبعضهم يغادر دون خدمة."
FIX = "فتح نافذة ثانية وقت الذروة."


def test_an_arabic_report_from_a_phone_is_accepted_and_the_submitter_is_told(
    browser, live_server, org
):
    # given an Arabic-speaking teller at RUH-01 and mona, who manages RUH-01
    make_user("layla", team=org.team_ruh, language="ar", display_name="ليلى")
    make_user("mona", roles=[Role.MANAGER], team=org.team_ruh, managed=[org.ruh01])
    phone = browser.new_context(viewport=PHONE, locale="ar-SA", has_touch=True, is_mobile=True)
    desktop = browser.new_context(viewport=DESKTOP, locale="en-GB")
    try:
        teller = phone.new_page()
        teller.set_default_timeout(15_000)
        manager = desktop.new_page()
        manager.set_default_timeout(15_000)

        # when layla logs in on her phone and taps the big report button
        log_in_through_the_page(teller, live_server.url, "layla")
        html = teller.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
        with teller.expect_navigation():
            teller.get_by_role("link", name="أبلغ عن مشكلة يواجهها العملاء").tap()
        assert teller.url == f"{live_server.url}/insights/new/"
        assert teller.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # and fills the form in Arabic, anonymously, and sends it
        teller.fill("input[name=title]", TITLE)
        teller.fill("textarea[name=pain_point]", PAIN_POINT)
        teller.fill("textarea[name=suggested_fix]", FIX)
        teller.select_option("select[name=channel]", "branch")
        teller.select_option("select[name=category]", "waiting_time")
        teller.select_option("select[name=customer_impact]", "high")
        teller.select_option("select[name=frequency]", "daily")
        teller.check("input[name=privacy][value=anonymous]")
        with teller.expect_navigation():
            teller.locator("#insight-form button[type=submit]").tap()

        # then she is on her new insight, in Arabic, still new
        insight = Insight.objects.get()
        assert teller.url == f"{live_server.url}/insights/{insight.pk}/"
        assert teller.locator("h1").inner_text() == TITLE
        assert teller.locator(".meta .status").first.inner_text() == "جديدة"
        assert (insight.author_id, insight.privacy) == (None, "anonymous")
        assert insight.location.code == "RUH-01"

        # when mona opens it on her desktop and accepts it with a note
        log_in_through_the_page(manager, live_server.url, "mona")
        manager.goto(f"{live_server.url}/insights/{insight.pk}/")
        assert "by an anonymous colleague" in manager.locator("main").inner_text()
        manager.select_option("#transition-form select[name=status]", "accepted")
        manager.fill("#transition-form textarea[name=note]", "We will open a second counter.")
        with manager.expect_navigation():
            manager.locator("#transition-form button[type=submit]").click()
        assert "Status changed." in manager.locator(".messages").inner_text()

        # then layla, reloading, sees the new status in Arabic and an unread notification
        teller.reload()
        assert teller.locator(".meta .status").first.inner_text() == "مقبولة"
        teller.locator(".nav-toggle").tap()
        badge = teller.locator("nav.main-nav .notif-link .badge")
        expect(badge).to_be_visible()
        expect(badge).to_have_text("1")

        # and the notifications page tells her, in Arabic, with the manager's note
        with teller.expect_navigation():
            teller.locator("nav.main-nav .notif-link").tap()
        item = teller.locator(".notification.unread")
        assert item.count() == 1
        assert item.locator(".notification-title").inner_text() == (
            f"قُبلت الملاحظة رقم {insight.pk}"
        )
        assert "We will open a second counter." in item.inner_text()
        assert "مقبولة" in item.inner_text()

        # and opening it marks it read and takes her back to the insight
        with teller.expect_navigation():
            item.locator(".notification-title").tap()
        assert re.fullmatch(rf"{re.escape(live_server.url)}/insights/{insight.pk}/", teller.url)
        assert teller.locator("nav.main-nav .notif-link .badge").count() == 0
    finally:
        phone.close()
        desktop.close()


def test_on_a_phone_a_similar_report_shows_under_the_text_and_takes_a_me_too(
    browser, live_server, org
):
    # given bob's open report at another branch, and layla on her phone
    bob = make_user("bob", team=org.team_jed)
    from feedback import services
    from feedback.models import Category
    from portal.models import Channel

    existing = services.insight_submit(
        author=bob,
        title=TITLE,
        pain_point=PAIN_POINT,
        channel=Channel.objects.get(code="branch"),
        category=Category.objects.get(code="waiting_time"),
    )
    make_user("layla", team=org.team_ruh, language="ar")
    phone = browser.new_context(viewport=PHONE, locale="ar-SA", has_touch=True, is_mobile=True)
    try:
        page = phone.new_page()
        page.set_default_timeout(15_000)
        log_in_through_the_page(page, live_server.url, "layla")
        page.goto(f"{live_server.url}/insights/new/")

        # when she types the same complaint, with other letter forms
        page.fill("input[name=title]", "طابور طويل عند الصرّاف وقت الظهر")
        match = page.locator("#similar .similar-item")
        match.first.wait_for()

        # then the match shows right under her text, before the rest of the form
        panel_top = page.locator("#similar").bounding_box()["y"]
        fix_top = page.locator("textarea[name=suggested_fix]").bounding_box()["y"]
        assert panel_top < fix_top
        assert TITLE in match.first.inner_text()

        # and "me too" endorses it in place, without sending her half-filled report
        match.first.get_by_role("button").tap()
        page.locator("#similar button[aria-pressed=true]").wait_for()
        assert existing.endorsements.filter(user__username="layla").exists()
        assert Insight.objects.count() == 1
        assert page.url == f"{live_server.url}/insights/new/"
    finally:
        phone.close()
