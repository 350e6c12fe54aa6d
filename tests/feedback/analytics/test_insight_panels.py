"""The insight page's analytics panels: "What customers say" for every insight and "Did
it work?" for implemented ones, shown to managers whose scope holds the insight's
location; the submitter of an implemented insight sees the verdict in words alone."""

import re
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from feedback.models import Insight
from tests.feedback.analytics.conftest import generate, load
from tests.feedback.analytics.planted import implement, insight, plant

pytestmark = pytest.mark.django_db

EVIDENCE = "What customers say"
IMPACT = "Did it work?"
FIGURES = ("95% interval", "Control group", 'data-chart="chart-impact"', "Change beyond")


@pytest.fixture
def planted(alice, mona, places):
    return plant(author=alice, manager=mona)


def page(client, user, item: Insight) -> str:
    client.force_login(user)
    response = client.get(f"/insights/{item.pk}/")
    assert response.status_code == 200
    return response.text


def test_a_manager_in_scope_sees_what_customers_say_and_whether_the_fix_worked(
    client, planted, mona
):
    html = page(client, mona, planted.fix)

    assert EVIDENCE in html and IMPACT in html
    # the verdict in words, the before/after chart, the figures and the control's size
    assert '<p class="verdict verdict-improved"><strong>Improved.</strong>' in html
    assert "Customers noticed" in html
    assert '<canvas data-chart="chart-impact"' in html
    assert '<script id="chart-impact" type="application/json">' in html
    assert "5 locations on the same channel without such a fix" in html
    # whose codes only the viewer's scope may name: none of them is mona's
    assert "in your scope:" not in html
    assert "feedback/vendor/chartjs/chart.umd" in html


def test_an_administrator_sees_the_control_locations_by_code(client, planted, ada):
    html = page(client, ada, planted.fix)

    assert "in your scope: JED-01, JED-02, JED-03, RUH-02, RUH-03" in html


def test_a_manager_out_of_scope_sees_neither_panel(client, planted, omar):
    # omar manages JED-01; the fix is at RUH-01 (named, so he may read the insight)
    html = page(client, omar, planted.fix)

    assert EVIDENCE not in html and IMPACT not in html
    assert not any(figure in html for figure in FIGURES)


def test_an_open_insight_has_customer_evidence_but_no_verdict(client, planted, mona):
    html = page(client, mona, planted.warning_insights[0])

    assert EVIDENCE in html
    assert IMPACT not in html


def test_the_submitter_sees_the_verdict_in_words_and_nothing_else(client, planted, alice, bob):
    html = page(client, alice, planted.fix)

    assert "You said, we did — and customers noticed" in html
    assert EVIDENCE not in html
    assert not any(figure in html for figure in FIGURES)
    assert "JED-0" not in html and "RUH-02" not in html
    # and another member of staff sees no verdict at all
    other = page(client, bob, planted.fix)
    assert IMPACT not in other and "You said, we did" not in other


def test_an_anonymous_submitter_sees_the_verdict_of_her_fix(client, planted, alice, mona):
    # Given alice's anonymous report on the branch, fixed when the planted fix went live
    fix_day = planted.fix.implemented_at
    mine = insight(
        by=alice,
        title="Queue at the counter",
        privacy="anonymous",
        day=fix_day - timedelta(weeks=2),
    )
    mine = implement(mine, by=mona, on=fix_day)
    assert mine.author_id is None

    html = page(client, alice, mine)

    assert "You reported this" in html
    assert html.count('class="verdict verdict-') == 1
    assert "You said, we did" in html
    assert not any(figure in html for figure in FIGURES)


def test_without_surveys_the_submitter_is_told_it_is_too_early(client, alice, mona):
    item = insight(by=alice, title="Receipt printer jams", day=timezone.localdate())
    item = implement(item, by=mona, on=timezone.localdate())

    html = page(client, alice, item)

    assert "There are not enough customer surveys yet to tell" in html
    manager = page(client, mona, item)
    assert '<p class="verdict verdict-not_enough_data">' in manager


def test_customer_comments_that_match_the_insight_are_quoted_with_their_csat(
    client, alice, mona, places
):
    # Given an insight about card payments on the phone and customers saying the same
    item = insight(by=alice, title="Card payment by phone fails", channel="phone")
    today = timezone.localdate()
    frame = generate(
        np.random.default_rng(1),
        metric="csat",
        from_day=today - timedelta(days=20),
        to_day=today - timedelta(days=1),
        cells=[{"channel": "phone", "location": "RUH-01", "rate": 3, "satisfied": 0.3}],
    )
    frame["comment"] = "Card payment by phone fails every time"
    load(frame)

    html = page(client, mona, item)

    # Then the panel quotes them and gives their CSAT beside all customers' on the phone
    quoted = re.findall(r'<q dir="auto"[^>]*>Card payment by phone fails every time</q>', html)
    assert len(quoted) == 5
    top = int((frame["score"] >= 4).sum())
    assert f"{100 * top / len(frame):.1f}%" in html
    assert f"{len(frame)} responses" in html
