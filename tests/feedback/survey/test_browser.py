"""A real Chromium: an Arabic-speaking manager imports a survey file on a phone, sees
the counts and the row errors, and reads the responses; nothing loads from another
host and no page is wider than the phone."""

import pytest

from feedback.models import SurveyResponse
from portal.models import Role
from tests.conftest import PHONE, foreign_requests, log_in_through_the_page, record_requests
from tests.factories import make_user
from tests.feedback.survey.conftest import csv_bytes, row

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_arabic_manager_imports_a_file_on_a_phone(browser, live_server, org, tmp_path):
    make_user("huda", roles=[Role.MANAGER], team=org.team_ruh, managed=[org.ruh01], language="ar")
    path = tmp_path / "استبيان.csv"
    path.write_bytes(
        csv_bytes([row(1, comment="الخدمة ممتازة وسريعة"), row(2, score=7), row(3, comment="بطيء")])
    )
    phone = browser.new_context(viewport=PHONE, locale="ar-SA", has_touch=True, is_mobile=True)
    try:
        page = phone.new_page()
        page.set_default_timeout(15_000)
        record_requests(page)
        log_in_through_the_page(page, live_server.url, "huda")

        # the import page, in Arabic, fits the phone
        page.goto(f"{live_server.url}/survey/imports/new/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("h1").inner_text() == "استيراد إجابات الاستبيانات"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # she uploads the file, skipping bad rows
        page.set_input_files("input[name=file]", str(path))
        page.check("input[name=on_error][value=skip]")
        with page.expect_navigation():
            page.locator("#import-form button[type=submit]").tap()

        # and sees the counts and the bad row, named by line and column, in Arabic
        page.locator("#import-status .counts").wait_for()
        assert page.locator(".count-created").inner_text() == "2"
        assert page.locator(".count-rejected").inner_text() == "1"
        error = page.locator("table.import-errors tbody tr").first.inner_text()
        assert "3" in error and "score" in error
        assert "درجة CSAT عدد صحيح من 1 إلى 5" in error
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # and the responses she may see
        page.goto(f"{live_server.url}/survey/")
        assert "الخدمة ممتازة وسريعة" in page.locator("table.survey-table").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert SurveyResponse.objects.count() == 2
        assert foreign_requests(page, live_server) == []
    finally:
        phone.close()
