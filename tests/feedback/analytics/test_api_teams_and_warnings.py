"""Training vs CSAT and early warnings through the API, against the raw records."""

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from django.utils import timezone
from scipy.stats import binom, spearmanr

from feedback.metrics import period_start
from tests.factories import TeamFactory, make_user
from tests.feedback.analytics.conftest import ANALYTICS, generate, load
from tests.feedback.analytics.truth import assert_figure, expected_figure
from tests.feedback.conftest import INSIGHTS, insight_payload
from tests.training.conftest import QUESTIONS, publish, right_answers
from training import services

pytestmark = pytest.mark.django_db

# Team code → (members, of whom compliant, CSAT share); the last team is too small.
TEAMS = {
    "RUH-01-A": (5, 1, 0.55),
    "RUH-01-B": (5, 2, 0.6),
    "RUH-01-C": (6, 3, 0.72),
    "RUH-01-D": (5, 4, 0.7),
    "RUH-01-E": (5, 5, 0.9),
    "RUH-01-F": (4, 4, 0.95),
}


@pytest.fixture
def trained(org, tariq, standard):
    """Teams at RUH-01 serving the branch channel, some of their members compliant with
    the branch standard (passed its module and acknowledged it)."""
    publish(standard, tariq)
    module = services.module_create(
        by=tariq, code="MOD-T", title_en="T", title_ar="ت", standards=[standard],
        pass_mark=50, max_attempts=3, questions=QUESTIONS,
    )  # fmt: skip
    channel = standard.channels.get()
    people = {}
    for code, (members, compliant, _share) in TEAMS.items():
        team = TeamFactory(code=code, location=org.ruh01)
        team.channels.add(channel)
        people[code] = [make_user(f"{code.lower()}-{i}", team=team) for i in range(members)]
        services.assign(by=tariq, module=module, users=people[code], due_date=timezone.localdate())
        for person in people[code][:compliant]:
            attempt, _new = services.attempt_start(
                assignment=person.training_assignments.get(), by=person
            )
            services.attempt_submit(attempt=attempt, by=person, answers=right_answers(attempt.pk))
            services.acknowledge(user=person, standard=standard, version_number=1, language="en")
    return people


def test_training_vs_csat_equals_spearman_on_the_raw_records(api, mona, trained):
    today = timezone.localdate()
    rng = np.random.default_rng(7)
    cells = [
        {"channel": "branch", "location": "RUH-01", "team": code, "rate": 3, "satisfied": share}
        for code, (_m, _c, share) in TEAMS.items()
    ]
    raw = load(
        generate(
            rng,
            metric="csat",
            from_day=today - timedelta(days=28),
            to_day=today - timedelta(days=1),
            cells=cells,
        )
    )

    body = (
        api(mona)
        .get(f"{ANALYTICS}training-vs-csat/", {"from": today - timedelta(days=28), "to": today})
        .json()
    )

    kept = [code for code, (members, _c, _s) in TEAMS.items() if members >= 5]
    assert [team["team"] for team in body["teams"]] == kept
    compliance = [100 * TEAMS[code][1] / TEAMS[code][0] for code in kept]
    csat = []
    for team, code in zip(body["teams"], kept, strict=True):
        scores = raw[raw["team"] == code]["score"]
        expected = expected_figure("csat", scores, 30)
        assert_figure(team["csat"], expected)
        assert team["members"] == TEAMS[code][0]
        assert team["compliance"] == pytest.approx(compliance[len(csat)], abs=1e-9)
        csat.append(expected["value"])
    assert body["n"] == len(kept)
    assert body["excluded"]["too_few_members"] == 1
    assert body["rho"] == pytest.approx(spearmanr(compliance, csat).statistic, abs=1e-9)
    assert body["warning"]  # fewer than 10 teams
    assert "cause" in " ".join(body["caveats"])


def test_a_planted_drop_with_a_spike_of_insights_is_warned_of(api, mona, alice, places):
    # Given 14 weeks of steady app CSAT at RUH-01, then a week that drops by 30 points
    today = timezone.localdate()
    week = period_start(today, "week") - timedelta(weeks=1)
    rng = np.random.default_rng(9)
    steady = generate(
        rng,
        metric="csat",
        from_day=week - timedelta(weeks=13),
        to_day=week - timedelta(days=1),
        cells=[{"channel": "app", "location": "RUH-01", "rate": 12, "satisfied": 0.85}],
    )
    drop = generate(
        rng,
        metric="csat",
        from_day=week,
        to_day=week + timedelta(days=6),
        cells=[{"channel": "app", "location": "RUH-01", "rate": 12, "satisfied": 0.55}],
    )
    raw = load(pd.concat([steady, drop], ignore_index=True))
    # and five app insights about digital channels that week (none before)
    ids = []
    for i in range(5):
        answer = api(alice).post(
            INSIGHTS,
            insight_payload(title=f"App freezes at payment {i}", channel="app",
                            category="digital_channels"),
            format="json",
        )  # fmt: skip
        ids.append(answer.json()["id"])
    from feedback.models import Insight

    Insight.objects.filter(pk__in=ids).update(created_at=timezone.make_aware(
        timezone.datetime.combine(week + timedelta(days=2), timezone.datetime.min.time())
    ))  # fmt: skip

    body = (
        api(mona)
        .get(f"{ANALYTICS}early-warnings/", {"from": week, "to": week + timedelta(days=6)})
        .json()
    )

    [warning] = body["warnings"]
    assert (warning["channel"], warning["category"], warning["week"]) == (
        "app",
        "digital_channels",
        week.isoformat(),
    )
    this_week = raw[raw["day"] >= week]["score"]
    history = raw[raw["day"] < week]
    history = history[history["day"] >= week - timedelta(weeks=12)]["score"]
    p_bar = (history >= 4).mean()
    assert_figure(warning["csat"], expected_figure("csat", this_week, 30))
    limit = binom.ppf(0.00135, len(this_week), p_bar) / len(this_week)
    assert warning["limit"] == pytest.approx(100 * limit, abs=1e-9)
    assert warning["insights"] == 5
    assert sorted(warning["insight_ids"]) == sorted(ids)
