"""Customer evidence and impact of a fix through the API, against the raw responses, and
who may see them."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from feedback.models import Insight
from tests.feedback.analytics.conftest import ANALYTICS, generate, load
from tests.feedback.analytics.truth import assert_figure, expected_figure
from tests.feedback.conftest import INSIGHTS, insight_payload

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 2)
WEEKS = 8
STATUSES = ("under_review", "accepted", "in_progress", "implemented")


def implemented(api, by, manager, *, on=ON, **fields) -> int:
    """An insight submitted long before ``on`` and implemented on ``on``."""
    created = api(by).post(INSIGHTS, insight_payload(**fields), format="json").json()
    Insight.objects.filter(pk=created["id"]).update(
        created_at=Insight.objects.get(pk=created["id"]).created_at.replace(year=on.year - 1)
    )
    for status in STATUSES:
        body = {"status": status, "note": ""}
        if status == "implemented":
            body["implemented_at"] = on.isoformat()
        answer = api(manager).post(f"{INSIGHTS}{created['id']}/transition/", body, format="json")
        assert answer.status_code == 200, answer.content
    return created["id"]


def _share(scores) -> tuple[int, int]:
    scores = np.asarray(scores)
    return int((scores >= 4).sum()), len(scores)


@pytest.fixture
def scene(api, alice, bob, mona, omar, places):
    """Branch CSAT 8 weeks either side of 2 March 2026 at RUH-01 (fixed: +12 points) and
    at five other locations; JED-01 had its own fix of the same kind (+20 points): no
    control."""
    rng = np.random.default_rng(21)
    start, end = ON - timedelta(weeks=WEEKS), ON + timedelta(weeks=WEEKS) - timedelta(days=1)
    frames = []
    for location, lift in (
        ("RUH-01", 0.12),
        ("RUH-02", 0),
        ("RUH-03", 0),
        ("JED-01", 0.2),
        ("JED-02", 0),
        ("JED-03", 0),
    ):
        for first, last, share in ((start, ON - timedelta(1), 0.7), (ON, end, 0.7 + lift)):
            cell = {"channel": "branch", "location": location, "rate": 6, "satisfied": share}
            frames.append(generate(rng, metric="csat", from_day=first, to_day=last, cells=[cell]))
    raw = load(pd.concat(frames, ignore_index=True))
    fixed = implemented(api, alice, mona, category="billing")
    implemented(api, bob, omar, category="billing")  # at JED-01: excluded from control
    return raw, fixed


def test_impact_equals_an_independent_computation(api, ada, scene):
    raw, pk = scene

    body = api(ada).get(f"{ANALYTICS}insights/{pk}/impact/", {"weeks": WEEKS}).json()

    def cell(locations, after):
        rows = raw[raw["location"].isin(locations)]
        return rows[(rows["day"] >= ON) if after else (rows["day"] < ON)]["score"]

    treated = ["RUH-01"]
    controls = ["RUH-02", "RUH-03", "JED-02", "JED-03"]  # JED-01 had its own fix
    before, after = cell(treated, False), cell(treated, True)
    assert_figure(body["before"], expected_figure("csat", before, 30))
    assert_figure(body["after"], expected_figure("csat", after, 30))
    (ta, na), (tb, nb) = _share(after), _share(before)
    low, high = confint_proportions_2indep(ta, na, tb, nb, method="newcomb")
    _z, p_value = proportions_ztest([ta, tb], [na, nb])
    assert body["difference"]["value"] == pytest.approx(100 * (ta / na - tb / nb), abs=1e-9)
    assert body["difference"]["low"] == pytest.approx(100 * low, abs=1e-9)
    assert body["difference"]["high"] == pytest.approx(100 * high, abs=1e-9)
    assert body["difference"]["p_value"] == pytest.approx(p_value, abs=1e-9)
    (ca, cna), (cb, cnb) = _share(cell(controls, True)), _share(cell(controls, False))
    cells = [(ta, na), (tb, nb), (ca, cna), (cb, cnb)]
    did = (ta / na - tb / nb) - (ca / cna - cb / cnb)
    se = np.sqrt(sum((k / n) * (1 - k / n) / n for k, n in cells))
    assert body["did"]["value"] == pytest.approx(100 * did, abs=1e-9)
    assert body["did"]["low"] == pytest.approx(100 * (did - 1.959963984540054 * se), abs=1e-9)
    assert body["control"]["locations"] == len(controls)
    assert sorted(body["control"]["codes"]) == sorted(controls)
    assert_figure(body["control"]["before"], expected_figure("csat", cell(controls, False), 30))
    assert body["verdict"] == "improved"


def test_a_scoped_manager_sees_the_control_group_by_size_not_by_name(api, mona, scene):
    _raw, pk = scene

    body = api(mona).get(f"{ANALYTICS}insights/{pk}/impact/").json()

    # mona manages RUH-01 only: four control locations, none named
    assert body["control"]["locations"] == 4
    assert body["control"]["codes"] == []


def test_a_manager_out_of_scope_gets_404_and_staff_403(api, omar, alice, scene):
    _raw, pk = scene
    assert api(omar).get(f"{ANALYTICS}insights/{pk}/impact/").status_code == 404
    assert api(omar).get(f"{ANALYTICS}insights/{pk}/evidence/").status_code == 404
    assert api(alice).get(f"{ANALYTICS}insights/{pk}/impact/").status_code == 403
    assert api(alice).get(f"{ANALYTICS}insights/99999/evidence/").status_code == 403


def test_impact_of_an_insight_not_yet_implemented_is_409(api, mona, alice):
    created = api(alice).post(INSIGHTS, insight_payload(), format="json").json()

    answer = api(mona).get(f"{ANALYTICS}insights/{created['id']}/impact/")

    assert answer.status_code == 409
    assert answer.json()["detail"]


def test_customer_evidence_finds_comments_like_the_insight(api, mona, alice, places):
    # Given branch responses at RUH-01: some say what the insight says, most do not
    created = (
        api(alice)
        .post(
            INSIGHTS, insight_payload(title="Long queue at the branch at lunchtime"), format="json"
        )
        .json()
    )
    today = date.today()
    rng = np.random.default_rng(4)
    frame = generate(
        rng,
        metric="csat",
        from_day=today - timedelta(days=60),
        to_day=today - timedelta(days=1),
        cells=[{"channel": "branch", "location": "RUH-01", "rate": 4, "satisfied": 0.8}],
    )
    saying = rng.random(len(frame)) < 0.25
    frame["comment"] = np.where(
        saying, "Long queue at lunchtime, only two counters were open.", "Friendly staff."
    )
    raw = load(frame)

    body = api(mona).get(f"{ANALYTICS}insights/{created['id']}/evidence/", {"limit": 5}).json()

    matching = raw[raw["comment"].str.startswith("Long queue")]["score"]
    assert_figure(body["matching"], expected_figure("csat", matching, 30))
    assert_figure(body["overall"], expected_figure("csat", raw["score"], 30))
    assert len(body["comments"]) == 5
    assert {c["comment"] for c in body["comments"]} == {
        "Long queue at lunchtime, only two counters were open."
    }
    low, _high = proportion_confint(*_share(matching), method="wilson")
    assert body["matching"]["low"] == pytest.approx(100 * low, abs=1e-9)
