"""The analytics pages: the manager dashboard (also managers' home) and a page per
analysis, in English and Arabic, for managers and administrators only, limited to the
viewer's scope, with the API's parameter checks shown on the page."""

import csv
import io
import json
import re
from datetime import timedelta
from html import unescape

import numpy as np
import pytest
from django.utils import timezone
from django.utils.html import escape

from portal.services import user_update
from tests.factories import make_user
from tests.feedback.analytics.conftest import generate, load
from tests.feedback.analytics.planted import endorse, plant
from tests.feedback.analytics.sections import assembled, section, section_urls
from training import services

pytestmark = pytest.mark.django_db

SLUGS = ["trends", "movers", "consistency", "training-vs-csat", "early-warnings"]
PAGES = ["/analytics/", *(f"/analytics/{slug}/" for slug in SLUGS)]


@pytest.fixture
def planted(alice, mona, places):
    return plant(author=alice, manager=mona)


def page_of(client, user, url, language="en"):
    if user.language != language:
        user_update(user=user, language=language)
    client.force_login(user)
    return client.get(url)


def dashboard_of(client, user, url="/analytics/", language="en") -> str:
    """The dashboard with its sections loaded, as a browser with a script shows it."""
    if user.language != language:
        user_update(user=user, language=language)
    client.force_login(user)
    status, html = assembled(client, url)
    assert status == 200, url
    return html


def table_of(html: str) -> tuple[list[str], list[list[str]]]:
    table = html.split('<table class="data analytics-table">', 1)[1].split("</table>", 1)[0]
    headers = [unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table)]
    body = table.split("<tbody>", 1)[1]
    rows = [
        [unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    return headers, rows


def export_link(html: str, fmt: str) -> str:
    found = re.search(rf'href="(/api/v1/analytics/[^"]*format={fmt})"', html)
    assert found, f"no {fmt} link"
    return unescape(found.group(1))


def has_arabic(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in text)


# --- a page per analysis ---------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("slug", SLUGS)
def test_an_analysis_page_has_its_chart_table_method_caveats_and_exports(
    client, api, planted, ada, slug, language
):
    # When an administrator opens the page, in English or Arabic
    response = page_of(client, ada, f"/analytics/{slug}/", language)

    # Then it is in that language and direction
    assert response.status_code == 200
    html = response.text
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    # with its data table, exactly what the CSV link exports (same parameters)
    headers, rows = table_of(html)
    exported = api(ada, language).get(export_link(html, "csv"))
    assert exported.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == headers
    assert len(lines) - 1 == len(rows)
    assert api(ada, language).get(export_link(html, "xlsx")).status_code == 200
    # and the method sentence and caveats of the same result, in the reader's language
    body = api(ada, language).get(export_link(html, "csv").replace("format=csv", "format=json"))
    found = body.json()
    assert escape(found["method"]) in html
    for caveat in found["caveats"]:
        assert escape(caveat) in html
    if language == "ar":
        assert has_arabic(found["method"])


@pytest.mark.parametrize("slug", ["trends", "movers", "consistency", "early-warnings"])
def test_a_chart_is_drawn_from_the_figures_of_the_page(client, planted, ada, slug):
    html = page_of(client, ada, f"/analytics/{slug}/").text

    # the canvas and its data, embedded as JSON (no inline script runs)
    assert f'<canvas data-chart="chart-{slug}-0"' in html
    assert f'<script id="chart-{slug}-0" type="application/json">' in html
    assert "feedback/vendor/chartjs/chart.umd" in html
    assert "feedback/analytics" in html and ".js" in html


def test_trends_by_location_show_a_suppressed_week_as_a_gap_never_a_zero(client, planted, ada):
    # A span reaching before the first response: those weeks have no figure
    start = planted.first_day - timedelta(weeks=3)
    url = f"/analytics/trends/?by=location&from={start}&to={planted.last_day}"
    html = page_of(client, ada, url).text

    spec = re.search(r'<script id="chart-trends-0" type="application/json">(.*?)</script>', html)
    chart = json.loads(spec.group(1))
    values = [v for series in chart["series"] for v in series["values"]]
    assert None in values and 0 not in values
    headers, rows = table_of(html)
    not_enough = headers.index("not enough responses")
    value = headers.index("value")
    assert {row[value] for row in rows if row[not_enough] == "yes"} == {""}


# --- the dashboard ---------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_dashboard_shows_the_planted_truths(client, planted, mona, bob, ada, language):
    endorse(planted.warning_insights[0], [bob, ada])

    html = dashboard_of(client, mona, "/analytics/", language)

    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    # two charts: CSAT by channel, and the channels compared
    assert '<canvas data-chart="chart-dashboard-trend"' in html
    assert '<canvas data-chart="chart-dashboard-consistency"' in html
    # the fix's verdict, the early warning linking its insights, the most endorsed insight
    for insight in planted.warning_insights:
        assert f'href="/insights/{insight.pk}/"' in html
    assert f'href="/insights/{planted.fix.pk}/"' in html
    assert 'class="verdict verdict-improved"' in html
    if language == "en":
        assert re.search(r"<strong>Phone</strong> lags", html)
        assert "Customers noticed" in html
        assert "below its lower limit" in html
        assert re.search(r"<strong dir=\"auto\">Phone</strong>.*?\(Channel\)", html, re.S)
        assert "2 people said me too" in html


def test_the_headline_counts_the_last_complete_week_of_the_viewers_scope(client, planted, mona):
    html = page_of(client, mona, "/analytics/").text

    frame = planted.frame
    week = frame[
        (frame["metric"] == "csat")
        & (frame["location"] == "RUH-01")
        & (frame["day"] >= planted.last_week)
        & (frame["day"] <= planted.last_week + timedelta(days=6))
    ]
    csat = html.split('<div class="kpi kpi-csat">', 1)[1].split("</div>", 1)[0]
    assert re.search(rf"\b{len(week)} responses", csat), csat
    top = (week["score"] >= 4).sum()
    assert f"{100 * top / len(week):.1f}%" in csat


def test_managers_land_on_their_dashboard_and_others_do_not(client, cast, planted):
    for name in ("mona", "ada"):
        home = page_of(client, cast[name], "/").text
        assert 'class="dashboard-home"' in home
        assert home.index('class="dashboard-home"') < home.index("Your triage queue")
        assert '<a href="/analytics/">Analytics</a>' in home
    for name in ("alice", "tariq"):
        home = page_of(client, cast[name], "/").text
        assert "dashboard-home" not in home
        assert '<a href="/analytics/">' not in home


PARTS = ["trend", "consistency", "movers", "warnings", "endorsed", "fixes"]


def test_the_dashboard_shows_its_headline_and_loads_each_section_after(client, planted, mona):
    # When mona opens her dashboard with a filter
    html = page_of(client, mona, "/analytics/?period=month&channel=phone").text

    # Then the page holds the headline, and each section is loaded after it with the
    # same filters, with a link to the same section on a page of its own meanwhile
    assert '<div class="kpi kpi-csat">' in html
    urls = section_urls(html)
    assert urls == [f"/analytics/dashboard/{part}/?period=month&channel=phone" for part in PARTS]
    for url in urls:
        assert f'<a href="{escape(url)}">Open' in html
    assert "<canvas" not in html  # the figures of the sections are not read for the page


@pytest.mark.parametrize("part", PARTS)
def test_a_section_comes_alone_for_the_page_and_as_a_page_without_a_script(
    client, planted, mona, part
):
    client.force_login(mona)
    url = f"/analytics/dashboard/{part}/?period=week"

    # Asked for by the page's script: the section alone
    alone = section(client, url)
    assert alone.status_code == 200
    opening = f'<section class="card dashboard-part" id="dashboard-{part}"'
    assert alone.text.lstrip().startswith(opening)
    assert "<html" not in alone.text
    assert "HX-Request" in alone["Vary"]
    # Followed as a link: a page with the menu, the filters, the section and the way back
    page = client.get(url)
    assert page.status_code == 200
    assert f'id="dashboard-{part}"' in page.text
    assert '<html lang="en" dir="ltr">' in page.text and "analytics-filters" in page.text
    assert 'href="/analytics/?period=week">Back to the dashboard</a>' in page.text
    charts = part in ("trend", "consistency")
    assert ("feedback/analytics.js" in page.text) is charts
    # the same figures either way (on a page of its own, the page's heading is its title)
    body = alone.text.split("</h3>", 1)[1].strip()
    assert body in page.text
    assert page.text.count("<h1>") == 1 and f'id="dashboard-{part}-title"' not in page.text
    # its filters lead back to it, and no menu item claims to be this page
    assert f'<form method="get" action="/analytics/dashboard/{part}/"' in page.text
    assert 'aria-current="page"' not in page.text.split("analytics-nav", 1)[1].split("</nav>")[0]


def test_a_section_refuses_what_the_dashboard_refuses(client, cast, planted):
    client.force_login(cast["mona"])
    assert client.get("/analytics/dashboard/nothing/").status_code == 404
    refused = section(client, "/analytics/dashboard/movers/?period=year")
    assert refused.status_code == 400
    assert "Correct the filters above" in refused.text
    page = client.get("/analytics/dashboard/movers/?channel=pigeon")
    assert page.status_code == 400
    assert "Unknown code: pigeon." in page.text
    for who in ("alice", "tariq"):
        client.force_login(cast[who])
        assert section(client, "/analytics/dashboard/trend/").status_code == 403
    client.logout()
    assert client.get("/analytics/dashboard/trend/").status_code == 302


def test_beside_each_insight_its_evidence_and_verdict_load_after_the_list(
    client, api, planted, mona, bob, ada
):
    top = planted.warning_insights[0]
    endorse(top, [bob, ada])
    client.force_login(mona)

    # The lists name the insights, and link to each one's panels meanwhile
    endorsed = section(client, "/analytics/dashboard/endorsed/").text
    fixes = section(client, "/analytics/dashboard/fixes/").text
    assert f'hx-get="/analytics/dashboard/evidence/{top.pk}/"' in endorsed
    assert f'href="/insights/{top.pk}/#evidence">What customers say</a>' in endorsed
    assert f'hx-get="/analytics/dashboard/impact/{planted.fix.pk}/"' in fixes
    assert f'href="/insights/{planted.fix.pk}/#impact">Did it work?</a>' in fixes

    # The evidence: the API's figures
    card = section(client, f"/analytics/dashboard/evidence/{top.pk}/")
    assert card.status_code == 200 and "HX-Request" in card["Vary"]
    found = api(mona).get(f"/api/v1/analytics/insights/{top.pk}/evidence/").json()
    overall = found["overall"]
    assert f"{overall['value']:.1f}%" in card.text and f"{overall['n']} responses" in card.text
    assert found["matching"]["n"] == 0 and "no responses" in card.text
    # The verdict: the API's, in words
    verdict = section(client, f"/analytics/dashboard/impact/{planted.fix.pk}/").text
    impact = api(mona).get(f"/api/v1/analytics/insights/{planted.fix.pk}/impact/").json()
    assert f'class="verdict verdict-{impact["verdict"]}"' in verdict
    # Followed without a script: the insight's page, at its panel
    followed = client.get(f"/analytics/dashboard/impact/{planted.fix.pk}/")
    assert followed.status_code == 302
    assert followed["Location"] == f"/insights/{planted.fix.pk}/#impact"
    assert "HX-Request" in followed["Vary"]
    # No verdict before a fix goes live; no such card; nothing outside the viewer's scope
    assert section(client, f"/analytics/dashboard/impact/{top.pk}/").status_code == 404
    assert section(client, f"/analytics/dashboard/other/{top.pk}/").status_code == 404


def test_the_most_endorsed_list_follows_each_me_too_at_once(
    client, planted, mona, bob, ada, django_capture_on_commit_callbacks
):
    first, second = planted.warning_insights[:2]
    endorse(first, [bob])
    url = "/analytics/dashboard/endorsed/"

    def shown() -> str:
        client.force_login(mona)
        return section(client, url).text

    assert "1 person said me too" in shown()  # and now kept in the cache
    # When two colleagues say "me too" to the second insight
    for person in (bob, ada):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(f"/insights/{second.pk}/endorse/").status_code == 302

    # Then it leads the list at once
    html = shown()
    assert html.index(f'href="/insights/{second.pk}/"') < html.index(
        f'href="/insights/{first.pk}/"'
    )
    assert "2 people said me too" in html
    # and a "me too" withdrawn counts no more
    client.force_login(ada)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/insights/{second.pk}/endorse/", {"action": "withdraw"})
    assert "2 people said me too" not in shown()


def test_an_insights_cards_are_for_managers_in_its_scope(client, cast, planted):
    url = f"/analytics/dashboard/impact/{planted.fix.pk}/"
    client.force_login(cast["omar"])  # manages JED-01; the fix is at RUH-01
    assert section(client, url).status_code == 404
    assert section(client, f"/analytics/dashboard/evidence/{planted.fix.pk}/").status_code == 404
    for who in ("alice", "tariq"):  # alice wrote it
        client.force_login(cast[who])
        assert section(client, url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


# --- who may see what ------------------------------------------------------------------------
@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["alice", "tariq"])
def test_frontline_and_trainers_are_refused_every_analytics_page(client, cast, who, url):
    assert page_of(client, cast[who], url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_nobody_signed_in_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_scoped_manager_sees_only_their_locations(client, planted, omar, mona):
    # omar manages JED-01; the planted fix, drop and warnings are at RUH-01
    html = page_of(client, omar, "/analytics/trends/?by=location").text

    headers, rows = table_of(html)
    assert {row[headers.index("code")] for row in rows} == {"JED-01"}
    options = re.findall(r'<option value="([A-Z]{3}-[^"]*)"', html)
    assert options == ["JED-01", "JED-01-TELLER"]  # the location and team filters
    dashboard = dashboard_of(client, omar, "/analytics/")
    assert "RUH-01" not in dashboard and "Olaya" not in dashboard
    assert f'href="/insights/{planted.fix.pk}/"' not in dashboard
    assert "No early warnings in the last 12 weeks." in dashboard
    # and a location outside the scope reads as unknown
    refused = page_of(client, omar, "/analytics/?location=RUH-01")
    assert refused.status_code == 400
    assert "Unknown code: RUH-01." in refused.text


# --- bad parameters --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "field", "message"),
    [
        ("/analytics/?period=year", "period", "is not a valid choice"),
        ("/analytics/?channel=pigeon", "channel", "Unknown code: pigeon."),
        ("/analytics/trends/?metric=happiness", "metric", "is not a valid choice"),
        ("/analytics/trends/?from=2026-13-01", "from", "Date has wrong format"),
        ("/analytics/trends/?from=2026-03-01&to=2026-02-01", "from", "must not be after"),
        ("/analytics/trends/?from=2019-01-01&to=2026-01-01", "from", "five years"),
        ("/analytics/movers/?by=none", "by", "is not a valid choice"),
        ("/analytics/movers/?date=soon", "date", "Date has wrong format"),
        ("/analytics/consistency/?location=NOPE", "location", "Unknown code: NOPE."),
        ("/analytics/training-vs-csat/?standard=STD-NONE", "standard", "Unknown code"),
        ("/analytics/early-warnings/?from=2026-02-01&to=2026-01-01", "from", "must not be"),
    ],
    ids=lambda value: value if isinstance(value, str) and value.startswith("/") else None,
)
def test_a_bad_parameter_shows_its_error_on_the_page(client, mona, url, field, message):
    response = page_of(client, mona, url)

    assert response.status_code == 400
    html = response.text
    box = re.search(
        rf'<div class="field has-error">(?:(?!</div>).)*name="{field}"(.*?)</div>', html, re.S
    )
    assert box, f"no error next to {field}"
    assert message in unescape(box.group(0))
    assert 'class="data analytics-table"' not in html


def test_a_bad_parameter_is_explained_in_the_readers_language(client, api, mona):
    html = page_of(client, mona, "/analytics/trends/?location=JED-01", "ar").text

    box = re.search(r'<div class="field has-error">.*?</div>', html, re.S).group(0)
    assert 'name="location"' in box
    said = re.search(r'<p class="error" role="alert">(.*?)</p>', box).group(1)
    # the API's own message, in Arabic once the catalog has it
    answer = api(mona, "ar").get("/api/v1/analytics/trends/", {"location": "JED-01"})
    assert unescape(said) == answer.json()["location"][0]
    assert "rtl" in html.split(">", 2)[1]


def test_the_training_page_plots_each_team_it_can_compare(client, cast, org, ada):
    # Given a standard covering everyone, five frontline staff in RUH-01's tellers (alice
    # and four more) and their customers' CSAT
    for name in ("zaid", "yara", "huda", "sami"):
        make_user(name, team=org.team_ruh)
    standard = services.standard_create(
        by=cast["tariq"], code="STD-ALL-01", title_en="Courtesy", title_ar="اللباقة"
    )
    draft = services.version_create_draft(
        standard=standard, by=cast["tariq"], text_en="Be kind.", text_ar="كن لطيفًا."
    )
    services.version_publish(version=draft, by=cast["tariq"])
    today = timezone.localdate()
    cell = {"channel": "branch", "location": "RUH-01", "team": "RUH-01-TELLER", "rate": 3,
            "satisfied": 0.8}  # fmt: skip
    load(generate(np.random.default_rng(4), metric="csat", from_day=today - timedelta(days=40),
                  to_day=today - timedelta(days=1), cells=[cell]))  # fmt: skip

    html = page_of(client, ada, "/analytics/training-vs-csat/").text

    # Then the team is a point of the scatter and a row of the table, with the warning
    assert '<canvas data-chart="chart-training-vs-csat-0"' in html
    chart = json.loads(
        re.search(
            r'id="chart-training-vs-csat-0" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    [point] = chart["series"][0]["points"]
    assert point["x"] == 0.0  # nobody has trained yet
    assert point["n"] >= 30 and point["y"] is not None
    headers, rows = table_of(html)
    assert [row[headers.index("code")] for row in rows] == ["RUH-01-TELLER"]
    assert "Only 1 team could be compared" in html
    assert "Correlation is not cause" in html
