"""Acceptance 7: a real Chromium on a phone, in Arabic. A frontline employee opens the
module assigned to her, passes its quiz and acknowledges the standard; every page is
right to left, fits the phone, and loads nothing from another host."""

import datetime

import pytest
from django.utils import timezone

from portal.models import Channel, Role
from tests.conftest import PHONE, foreign_requests, log_in_through_the_page, record_requests
from tests.factories import make_user
from tests.training.conftest import QUESTIONS, TEXT_AR, TEXT_EN
from training import services
from training.compliance import compliance_as_of
from training.models import Acknowledgement, Attempt

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def check_page(page, live_server) -> None:
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"
    assert foreign_requests(page, live_server) == []


def test_an_arabic_frontline_employee_takes_her_training_on_a_phone(browser, live_server, org):
    # Given a standard for the branch, which layla's team serves, and its module, assigned
    branch = Channel.objects.get(code="branch")
    org.team_ruh.channels.add(branch)
    tariq = make_user("tariq", roles=[Role.TRAINER], team=org.team_ruh)
    layla = make_user("layla", team=org.team_ruh, language="ar", display_name="ليلى")
    standard = services.standard_create(
        by=tariq,
        code="STD-GREET-01",
        title_en="Greet",
        title_ar="الترحيب والتعريف",
        channels=[branch],
    )
    draft = services.version_create_draft(
        standard=standard, by=tariq, text_en=TEXT_EN, text_ar=TEXT_AR
    )
    services.version_publish(version=draft, by=tariq)
    module = services.module_create(
        by=tariq,
        code="MOD-GREET",
        title_en="Greeting customers",
        title_ar="الترحيب بالعملاء",
        content_en="First impressions last.",
        content_ar="## لماذا\n\nالانطباع الأول يدوم.",
        standards=[standard],
        questions=QUESTIONS,
    )
    due = timezone.localdate() + datetime.timedelta(days=7)
    services.assign(module=module, due_date=due, by=tariq, users=[layla])

    context = browser.new_context(viewport=PHONE, locale="ar-SA", has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        record_requests(page)

        # When she logs in, her training is on the home page; she opens the module
        log_in_through_the_page(page, live_server.url, "layla")
        panel = page.locator(".training-panel")
        assert "تدريبي" in panel.inner_text()
        with page.expect_navigation():
            panel.get_by_role("link", name="الترحيب بالعملاء").tap()
        check_page(page, live_server)
        assert page.locator("h1").inner_text() == "الترحيب بالعملاء"
        assert "الانطباع الأول يدوم." in page.locator(".module-content").inner_text()

        # and starts the quiz, which shows no answers, and answers every question right
        with page.expect_navigation():
            page.get_by_role("button", name="ابدأ الاختبار").tap()
        check_page(page, live_server)
        attempt = Attempt.objects.get(user=layla)
        html = page.content()
        assert "ينص المعيار" not in html and "correct" not in html
        for question in attempt.questions:
            for choice in question["choices"]:
                if choice["correct"]:
                    page.locator(f"input[name=q_{question['id']}][value='{choice['id']}']").check()
        with page.expect_navigation():
            page.get_by_role("button", name="تسليم إجاباتي").tap()

        # Then she sees her score and why each answer is right, in Arabic
        check_page(page, live_server)
        result = page.locator("main").inner_text()
        assert "درجتك: 100%" in result
        assert "لقد اجتزت." in result
        assert "ينص المعيار على عشر ثوانٍ." in result

        # When she goes back to her training and acknowledges the standard
        with page.expect_navigation():
            page.get_by_role("link", name="العودة إلى تدريبي").tap()
        check_page(page, live_server)
        with page.expect_navigation():
            page.get_by_role("link", name="اقرأ الإصدار 1 وأقِرّ به").tap()
        check_page(page, live_server)
        assert "رحّب بكل عميل" in page.locator(".standard-text").inner_text()
        with page.expect_navigation():
            page.get_by_role("button", name="قرأت هذا المعيار وسألتزم بتطبيقه").tap()

        # Then it is recorded, with the Arabic text she was shown, and she is compliant
        check_page(page, live_server)
        assert "سُجِّل إقرارك" in page.locator(".messages").inner_text()
        assert "أقررت بالإصدار 1" in page.locator("main").inner_text()
        ack = Acknowledgement.objects.get(user=layla)
        assert (ack.language, ack.text_sha256) == ("ar", services.text_sha256(TEXT_AR))
        status = compliance_as_of(as_of=timezone.localdate()).cells[(layla.pk, standard.pk)]
        assert status == "compliant"
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_trainer_and_manager_pages_fit_a_phone(browser, live_server, org, language):
    branch = Channel.objects.get(code="branch")
    org.team_ruh.channels.add(branch)
    tariq = make_user(
        "tariq", roles=[Role.TRAINER, Role.MANAGER], team=org.team_ruh, language=language
    )
    layla = make_user("layla", team=org.team_ruh, language="ar")
    standard = services.standard_create(
        by=tariq, code="STD-GREET-01", title_en="Greet", title_ar="الترحيب", channels=[branch]
    )
    draft = services.version_create_draft(
        standard=standard, by=tariq, text_en=TEXT_EN, text_ar=TEXT_AR
    )
    services.version_publish(version=draft, by=tariq)
    services.version_create_draft(
        standard=standard, by=tariq, text_en=TEXT_EN + "\n\nSmile.", text_ar=TEXT_AR, change="minor"
    )
    module = services.module_create(
        by=tariq,
        code="MOD-GREET",
        title_en="G",
        title_ar="ت",
        standards=[standard],
        questions=QUESTIONS,
    )
    services.assign(
        module=module,
        due_date=timezone.localdate() + datetime.timedelta(days=3),
        by=tariq,
        users=[layla],
    )
    context = browser.new_context(viewport=PHONE, locale="ar-SA" if language == "ar" else "en-GB")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        record_requests(page)
        log_in_through_the_page(page, live_server.url, "tariq")
        for path in [
            "/training/standards/",
            "/training/standards/STD-GREET-01/",
            "/training/standards/STD-GREET-01/versions/2/",
            "/training/standards/STD-GREET-01/versions/2/publish/",
            "/training/standards/STD-GREET-01/diff/?from=1&to=2",
            "/training/modules/",
            "/training/modules/MOD-GREET/",
            "/training/modules/MOD-GREET/questions/new/",
            "/training/assign/",
            "/training/rules/",
            "/training/compliance/",
            "/training/compliance/people/",
        ]:
            page.goto(f"{live_server.url}{path}")
            html = page.locator("html")
            assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr"), path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width}px wide"
        assert foreign_requests(page, live_server) == []
    finally:
        context.close()
