"""The analytics API against the raw responses in the database: every figure equals an
independent computation (pandas, scipy, statsmodels) from the rows the test imported,
through the rollup, the scoped selector and the API."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from tests.feedback.analytics.conftest import ANALYTICS, generate, load
from tests.feedback.analytics.truth import (
    SCALES,
    assert_figure,
    expected_figure,
    pandas_period_range,
    pandas_period_start,
)

pytestmark = pytest.mark.django_db

FROM, TO = date(2026, 1, 5), date(2026, 3, 29)


def _cells(places_all, rng):
    cells = []
    for location in places_all:
        for channel in ("branch", "phone", "app"):
            cells.append(
                {
                    "channel": channel,
                    "location": location,
                    "team": "RUH-01-TELLER" if location == "RUH-01" and channel == "branch" else "",
                    "category": rng.choice(["", "billing", "waiting_time"]),
                    "rate": float(rng.choice([0.3, 1.5, 4])),
                    "satisfied": float(rng.uniform(0.4, 0.95)),
                }
            )
    return cells


@pytest.mark.parametrize(
    ("seed", "metric", "period", "by"),
    [
        (1, "csat", "week", "channel"),
        (2, "nps", "month", "location"),
        (3, "ces", "day", "none"),
        (4, "csat", "week", "category"),
        (5, "nps", "week", "team"),
    ],
)
def test_trends_equal_the_raw_responses(api, ada, places, seed, metric, period, by):
    # Given raw responses at five locations on three channels
    rng = np.random.default_rng(seed)
    to_day = TO if period != "day" else FROM + timedelta(days=20)
    raw = load(
        generate(
            rng,
            metric=metric,
            from_day=FROM,
            to_day=to_day,
            cells=_cells(["RUH-01", "RUH-02", "JED-01", "JED-02", "JED-03"], rng),
        )
    )

    # When an administrator asks for the trend
    answer = api(ada).get(
        f"{ANALYTICS}trends/",
        {"metric": metric, "period": period, "by": by, "from": FROM, "to": to_day},
    )

    # Then each series and point is the raw responses of its key and period
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["metric"], body["period"]) == (metric, period)
    raw["start"] = pandas_period_start(raw["day"], period, "monday")
    raw["key"] = "" if by == "none" else raw[by].astype(str)
    starts = pandas_period_range(FROM, to_day, period, "monday")
    # no team or category, or no breakdown: the key null
    assert {series["key"] or "" for series in body["series"]} == set(raw["key"])
    for series in body["series"]:
        mine = raw[raw["key"] == (series["key"] or "")]
        assert [point["period_start"] for point in series["points"]] == [
            start.isoformat() for start in starts
        ]
        for point, start in zip(series["points"], starts, strict=True):
            scores = mine[mine["start"] == start]["score"].to_numpy()
            assert_figure(point, expected_figure(metric, scores, 30))
    assert body["method"]


def _top(metric, scores) -> int:
    return int((np.asarray(scores) >= SCALES[metric][2]).sum())


def test_movers_equal_statsmodels(api, ada, places):
    # Given two weeks of CSAT at five locations, one of which moved a lot
    rng = np.random.default_rng(11)
    previous, current = date(2026, 3, 16), date(2026, 3, 23)
    cells = []
    for location in ["RUH-01", "RUH-02", "RUH-03", "JED-01", "JED-02"]:
        for start, satisfied in ((previous, 0.7), (current, 0.9 if location == "RUH-02" else 0.7)):
            cells.append(
                {
                    "channel": "branch",
                    "location": location,
                    "rate": 12,
                    "satisfied": satisfied,
                    "from": start,
                }
            )
    frames = [
        generate(
            rng,
            metric="csat",
            from_day=cell["from"],
            to_day=cell["from"] + timedelta(days=6),
            cells=[cell],
        )
        for cell in cells
    ]
    raw = load(pd.concat(frames, ignore_index=True))

    # When the movers of the week of 25 March are asked for, by location
    body = (
        api(ada)
        .get(f"{ANALYTICS}movers/", {"metric": "csat", "by": "location", "date": "2026-03-25"})
        .json()
    )

    # Then difference, p and q equal statsmodels on the raw responses
    assert body["current_start"] == current.isoformat()
    assert body["previous_start"] == previous.isoformat()
    keys = sorted(raw["location"].unique())
    p_values, differences = [], {}
    for key in keys:
        now = raw[(raw["location"] == key) & (raw["day"] >= current)]["score"]
        before = raw[(raw["location"] == key) & (raw["day"] < current)]["score"]
        counts = [_top("csat", now), _top("csat", before)]
        _z, p_value = proportions_ztest(counts, [len(now), len(before)])
        p_values.append(p_value)
        differences[key] = 100 * (counts[0] / len(now) - counts[1] / len(before))
    q_values = dict(zip(keys, multipletests(p_values, method="fdr_bh")[1], strict=True))
    p_by_key = dict(zip(keys, p_values, strict=True))
    assert {group["key"] for group in body["groups"]} == set(keys)
    for group in body["groups"]:
        assert group["difference"] == pytest.approx(differences[group["key"]], abs=1e-9)
        assert group["p_value"] == pytest.approx(p_by_key[group["key"]], abs=1e-9)
        assert group["q_value"] == pytest.approx(q_values[group["key"]], abs=1e-9)
        assert group["significant"] is bool(q_values[group["key"]] <= 0.05)
    assert body["groups"][0]["key"] == "RUH-02"


def test_consistency_equals_chi_square_on_the_raw_responses(api, ada, places):
    # Given CSAT on four channels at two locations, phone lagging
    rng = np.random.default_rng(5)
    cells = [
        {"channel": channel, "location": location, "rate": 6, "satisfied": share}
        for location in ("RUH-01", "JED-01")
        for channel, share in (("branch", 0.85), ("phone", 0.6), ("app", 0.8), ("web", 0.82))
    ]
    raw = load(generate(rng, metric="csat", from_day=FROM, to_day=TO, cells=cells))

    body = (
        api(ada).get(f"{ANALYTICS}consistency/", {"period": "month", "from": FROM, "to": TO}).json()
    )

    raw["start"] = pandas_period_start(raw["day"], "month", "monday")
    for period in body["periods"]:
        month = raw[raw["start"].astype(str) == period["period_start"]]
        table = [
            [_top("csat", g), len(g) - _top("csat", g)]
            for _key, g in sorted(month.groupby("channel")["score"])
        ]
        chi2, p_value, _dof, _expected = chi2_contingency(table)
        assert period["chi2"] == pytest.approx(chi2, abs=1e-9)
        assert period["p_value"] == pytest.approx(p_value, abs=1e-9)
        shares = {
            key: 100 * _top("csat", g) / len(g) for key, g in month.groupby("channel")["score"]
        }
        assert period["lagging"] == min(shares, key=shares.get) == "phone"
        assert period["spread"] == pytest.approx(
            max(shares.values()) - min(shares.values()), abs=1e-9
        )


# --- parameters, roles and scope -------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("trends/", {"metric": "happiness"}, "metric"),
        ("trends/", {"period": "year"}, "period"),
        ("trends/", {"by": "mood"}, "by"),
        ("trends/", {"from": "2026-13-01"}, "from"),
        ("trends/", {"to": "yesterday"}, "to"),
        ("trends/", {"from": "2026-03-01", "to": "2026-02-01"}, "from"),
        ("trends/", {"from": "2019-01-01", "to": "2026-01-01"}, "from"),
        ("trends/", {"channel": "pigeon"}, "channel"),
        ("trends/", {"location": "JED-01"}, "location"),
        ("trends/", {"to": "0001-01-05"}, "to"),
        ("early-warnings/", {"to": "0001-01-05"}, "to"),
        ("movers/", {"date": "0001-01-01"}, "date"),
        ("movers/", {"date": "soon"}, "date"),
        ("movers/", {"by": "none"}, "by"),
        ("consistency/", {"metric": "nps", "location": "NOPE"}, "location"),
        ("training-vs-csat/", {"standard": "STD-NONE"}, "standard"),
        ("early-warnings/", {"from": "2026-02-01", "to": "2026-01-01"}, "from"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(api, mona, path, query, field):
    answer = api(mona, "ar").get(f"{ANALYTICS}{path}", query)

    assert answer.status_code == 400
    assert list(answer.json()) == [field]
    # in the reader's language
    assert any("\u0600" <= char <= "\u06ff" for char in str(answer.json()[field]))


@pytest.mark.parametrize(
    "path",
    ["trends/", "movers/", "consistency/", "training-vs-csat/", "early-warnings/"],
)
@pytest.mark.parametrize("who", ["alice", "tariq"])
def test_frontline_and_trainers_are_refused(api, cast, who, path):
    assert api(cast[who]).get(f"{ANALYTICS}{path}").status_code == 403


def test_nobody_signed_in_is_refused(api):
    assert api(None).get(f"{ANALYTICS}trends/").status_code in (401, 403)


def test_a_scoped_manager_sees_only_their_locations_even_in_totals(api, mona, ada, places):
    # Given responses at RUH-01 (mona's scope) and JED-01 (not hers)
    rng = np.random.default_rng(3)
    raw = load(
        generate(
            rng,
            metric="csat",
            from_day=FROM,
            to_day=TO,
            cells=[
                {"channel": "branch", "location": "RUH-01", "rate": 5, "satisfied": 0.8},
                {"channel": "branch", "location": "JED-01", "rate": 5, "satisfied": 0.3},
            ],
        )
    )
    query = {"period": "month", "by": "none", "from": FROM, "to": TO}

    mine = api(mona).get(f"{ANALYTICS}trends/", query).json()
    everything = api(ada).get(f"{ANALYTICS}trends/", query).json()
    by_location = api(mona).get(f"{ANALYTICS}trends/", query | {"by": "location"}).json()

    ruh = raw[raw["location"] == "RUH-01"]
    assert sum(point["n"] for point in mine["series"][0]["points"]) == len(ruh)
    assert sum(point["n"] for point in everything["series"][0]["points"]) == len(raw)
    assert [series["key"] for series in by_location["series"]] == ["RUH-01"]


def test_a_cached_result_is_replaced_when_responses_arrive(
    api, ada, places, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rng = np.random.default_rng(8)
    cell = {"channel": "branch", "location": "RUH-01", "rate": 3, "satisfied": 0.8}
    first = load(generate(rng, metric="csat", from_day=FROM, to_day=TO, cells=[cell]))
    query = {"period": "month", "by": "none", "from": FROM, "to": TO}
    url = f"{ANALYTICS}trends/"
    before = api(ada).get(url, query).json()

    # A second request is served from the cache: no query for the figures
    with CaptureQueriesContext(connection) as captured:
        again = api(ada).get(url, query).json()
    assert again == before
    assert not any("rollup" in q["sql"] for q in captured.captured_queries)

    # New responses in the span (committed): the next answer counts them
    with django_capture_on_commit_callbacks(execute=True):
        more = load(generate(rng, metric="csat", from_day=FROM, to_day=TO, cells=[cell]))
    after = api(ada).get(url, query).json()
    total = sum(point["n"] for point in after["series"][0]["points"])
    assert total == len(first) + len(more)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "path", ["trends/", "movers/", "consistency/", "training-vs-csat/", "early-warnings/"]
)
def test_every_analysis_exports_as_a_table(api, ada, places, fmt, path):
    rng = np.random.default_rng(2)
    load(
        generate(
            rng,
            metric="csat",
            from_day=FROM,
            to_day=TO,
            cells=[{"channel": "branch", "location": "RUH-01", "rate": 4, "satisfied": 0.8}],
        )
    )

    answer = api(ada).get(f"{ANALYTICS}{path}", {"format": fmt})

    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment;")
    assert fmt in answer["Content-Disposition"]


@pytest.mark.parametrize(
    ("zone", "week_start", "week"),
    [
        # Sunday 1 March 2026, 22:30 UTC, is Monday 2 March 01:30 in Riyadh (UTC+3, no DST)
        ("UTC", "monday", "2026-02-23"),
        ("Asia/Riyadh", "monday", "2026-03-02"),
        ("UTC", "sunday", "2026-03-01"),
        ("Asia/Riyadh", "sunday", "2026-03-01"),
        ("UTC", "saturday", "2026-02-28"),
        ("Asia/Riyadh", "saturday", "2026-02-28"),
    ],
)
def test_a_response_counts_in_the_week_of_its_day_in_the_time_zone(
    api, ada, org, settings, zone, week_start, week
):
    from feedback.survey.importing import survey_import_rows

    settings.TIME_ZONE, settings.ANALYTICS_WEEK_START = zone, week_start
    settings.ANALYTICS_MIN_RESPONSES = 1
    survey_import_rows(
        rows=[
            {"source": "tz", "external_id": "late-sunday", "metric": "csat", "score": 5,
             "responded_at": "2026-03-01T22:30:00Z", "channel": "branch", "location": "RUH-01"}
        ]
    )  # fmt: skip

    body = (
        api(ada)
        .get(
            f"{ANALYTICS}trends/",
            {"by": "none", "period": "week", "from": "2026-02-20", "to": "2026-03-10"},
        )
        .json()
    )

    [series] = body["series"]
    counted = {point["period_start"]: point["n"] for point in series["points"] if point["n"]}
    assert counted == {week: 1}
