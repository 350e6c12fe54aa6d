"""A real Chromium on a phone, in Arabic: a manager lands on her dashboard and its
charts are drawn — Chart.js instances with data, pixels on the canvas — right to left,
with no console error and nothing loaded from another host."""

import pytest
from playwright.sync_api import expect

from portal.models import Role
from tests.conftest import PHONE, foreign_requests, log_in_through_the_page, record_requests
from tests.factories import make_user
from tests.feedback.analytics.planted import plant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The dashboard's sections arrive side by side: the live server answers them in
    # threads, which on the embedded run share its one in-memory SQLite connection and
    # can block one another for good. (A SQLite file, as `make demo` serves, gives each
    # thread its own connection.)
    pytest.mark.postgres,
]

# Per chart: its datasets' count of drawn (non-null) values, whether its x axis runs
# right to left, its locale, and how many of its canvas' pixels are painted.
CHARTS = """
() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = Chart.getChart(canvas);
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
  return {
    id: canvas.dataset.chart,
    values: chart.data.datasets.map((d) => d.data.filter((v) => v !== null).length),
    reversed: chart.options.scales.x.reverse,
    locale: chart.options.locale,
    painted,
    width: canvas.getBoundingClientRect().width,
  };
})
"""


def test_an_arabic_manager_sees_her_dashboard_charts_on_a_phone(browser, live_server, org, places):
    # Given the planted organisation and layla, who manages RUH-01 and reads Arabic
    alice = make_user("alice", team=org.team_ruh)
    layla = make_user(
        "layla", roles=[Role.MANAGER], team=org.team_ruh, managed=[org.ruh01], language="ar"
    )
    plant(author=alice, manager=layla)

    context = browser.new_context(viewport=PHONE, locale="ar-SA", has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        record_requests(page)
        problems = []
        page.on(
            "console",
            lambda message: problems.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: problems.append(str(error)))

        # When she logs in, she lands on her dashboard
        log_in_through_the_page(page, live_server.url, "layla")
        expect(page.locator(".dashboard-home")).to_be_visible()
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")

        # Then every section of the dashboard loads in its place: six, none still waiting,
        # and beside each insight of their lists its evidence or verdict
        page.wait_for_function(
            "document.querySelectorAll('section.dashboard-part').length === 6 && "
            "document.querySelectorAll('.dashboard-part[hx-get], .dashboard-card[hx-get]')"
            ".length === 0"
        )
        expect(page.locator("#dashboard-fixes .verdict-improved")).to_be_visible()
        expect(page.locator(".part-status:visible")).to_have_count(0)
        # and both charts are drawn, with data, mirrored, in Arabic
        page.wait_for_function(
            "document.querySelectorAll('canvas[data-chart]').length === 2 && "
            "Array.from(document.querySelectorAll('canvas[data-chart]'))"
            ".every((canvas) => window.Chart && Chart.getChart(canvas))"
        )
        charts = {chart["id"]: chart for chart in page.evaluate(CHARTS)}
        assert set(charts) == {"chart-dashboard-trend", "chart-dashboard-consistency"}
        for chart in charts.values():
            assert chart["values"] and max(chart["values"]) > 0, chart
            assert chart["reversed"] is True and chart["locale"] == "ar"
            assert chart["painted"] > 1000, chart
            assert 0 < chart["width"] <= PHONE["width"]
        # the consistency bars: one per channel compared, phone among them
        assert charts["chart-dashboard-consistency"]["values"] == [2]

        # and the page fits the phone, loads nothing from elsewhere, logs no error
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the dashboard is {width}px wide"
        assert foreign_requests(page, live_server) == []
        assert problems == []
    finally:
        context.close()


def test_a_section_that_fails_to_load_says_so_and_keeps_its_link(browser, live_server, org):
    make_user("mona", roles=[Role.MANAGER], team=org.team_ruh, managed=[org.ruh01])
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        # Given a server that fails one section of the dashboard
        page.route("**/analytics/dashboard/movers/**", lambda route: route.fulfill(status=500))

        log_in_through_the_page(page, live_server.url, "mona")

        # Then that section says it could not be loaded and links to its own page
        movers = page.locator("#dashboard-movers")
        expect(movers.locator(".part-status")).to_have_text(
            "This section could not be loaded. Open it on its own page:"
        )
        expect(movers).to_have_attribute("aria-busy", "false")
        expect(movers.locator('a[href^="/analytics/dashboard/movers/"]')).to_be_visible()
        # while the others load
        page.wait_for_function(
            "document.querySelectorAll('section.dashboard-part[hx-get]').length === 1"
        )
    finally:
        context.close()
