"""The demo's insights, as a new user meets them in the similar-insights panel."""

import re
from collections import Counter

import pytest

from feedback.models import Insight
from portal.models import User
from tests.portal.test_commands import seed

pytestmark = pytest.mark.django_db


def test_demo_insights_vary_their_wording_and_the_panel_groups_what_stays_the_same(client):
    """Issue 6.15: no title posted word for word at a dozen branches; the panel shows one
    line per title, the user's own location first."""
    seed()

    titles = Counter(Insight.objects.values_list("title", flat=True))
    assert len(titles) >= 50, titles
    assert max(titles.values()) <= 8, titles.most_common(3)
    # the same problem is still reported at several places, worded differently
    pains = Counter(Insight.objects.values_list("pain_point", flat=True))
    assert len(pains) > len(titles)

    # when the frontline demo user types the most repeated open title
    frontline = User.objects.get(username="frontline")
    open_titles = Counter(
        Insight.objects.open()
        .filter(privacy__in=["named", "anonymous"])
        .values_list("title", flat=True)
    )
    title, count = open_titles.most_common(1)[0]
    assert count > 1
    client.force_login(frontline)
    html = client.get("/insights/similar/", {"title": title}).text

    # then each title shows once
    shown = re.findall(r'data-same-tab-on-phone dir="auto">([^<]+)</a>', html)
    assert shown and len(shown) == len(set(shown)), shown
    assert title in shown
