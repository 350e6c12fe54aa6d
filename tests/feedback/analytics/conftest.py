"""Raw survey responses put into the database through the import service, and kept here
as a pandas frame so the tests compute every figure from them independently."""

from datetime import date, datetime, time

import numpy as np
import pandas as pd
import pytest
from django.conf import settings

from feedback.survey.importing import survey_import_rows
from tests.factories import LocationFactory, TeamFactory
from tests.feedback.analytics.truth import draw
from tests.training.conftest import branch, standard  # noqa: F401 -- fixtures for training

ANALYTICS = "/api/v1/analytics/"


def load(frame: pd.DataFrame, *, source: str = "truth") -> pd.DataFrame:
    """Import raw responses (columns metric, score, day, channel, location and optional
    team, category, comment) and return them as given. Each answers at noon, local."""
    rows = []
    start = int(getattr(load, "counter", 0))
    for offset, record in enumerate(frame.to_dict("records")):
        at = datetime.combine(record["day"], time(12, 0)).isoformat()
        rows.append(
            {
                "source": source,
                "external_id": f"T{start + offset:08d}",
                "metric": record["metric"],
                "score": int(record["score"]),
                "responded_at": at,
                "channel": record["channel"],
                "location": record["location"],
                "team": record.get("team") or "",
                "category": record.get("category") or "",
                "comment": record.get("comment") or "",
                "language": "",
            }
        )
    load.counter = start + len(rows)
    result = survey_import_rows(rows=rows)
    assert not result.refused and not result.rejected, [str(e) for e in result.errors[:3]]
    return frame


def generate(
    rng,
    *,
    metric: str,
    from_day: date,
    to_day: date,
    cells: list[dict],
) -> pd.DataFrame:
    """Per cell (``{"channel", "location", "team"?, "category"?, "rate", "satisfied"}``)
    a Poisson number of responses a day, top box (or promoter) with ``satisfied``."""
    days = pd.date_range(from_day, to_day, freq="D").date
    frames = []
    for cell in cells:
        on_day = np.repeat(days, rng.poisson(cell["rate"], len(days)))
        scores = draw(rng, metric, len(on_day), cell["satisfied"])
        frames.append(
            pd.DataFrame(
                {
                    "metric": metric,
                    "score": scores,
                    "day": on_day,
                    "channel": cell["channel"],
                    "location": cell["location"],
                    "team": cell.get("team", ""),
                    "category": cell.get("category", ""),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def places(org):
    """Four more locations (two in each region) and a second team at RUH-01."""
    extra = {
        code: LocationFactory(code=code, region=region)
        for code, region in (
            ("RUH-02", org.ruh),
            ("RUH-03", org.ruh),
            ("JED-02", org.jed),
            ("JED-03", org.jed),
        )
    }
    extra["team_ruh_cs"] = TeamFactory(code="RUH-01-CS", location=org.ruh01)
    return extra


@pytest.fixture(autouse=True)
def _min_n(settings):
    settings.ANALYTICS_MIN_RESPONSES = 30


def time_zone():
    return settings.TIME_ZONE
