"""The database itself holds the survey's rules, whatever writes to it: one response per
``(source, external_id)``, a score in range for its metric, one rollup cell per day ×
location × channel × team × category × metric (no team or category counted as a value),
and the index the analytics read by."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from feedback.models import SurveyDailyRollup, SurveyResponse
from portal.models import Channel

pytestmark = pytest.mark.django_db

RANGES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


@pytest.fixture
def place(org):
    return {"channel": Channel.objects.get(code="branch"), "location": org.ruh01}


def response(place, n: int, **fields) -> SurveyResponse:
    values = {
        "source": "ivr",
        "external_id": f"X-{n}",
        "metric": "csat",
        "score": 4,
        "responded_at": timezone.now() - datetime.timedelta(days=1),
        **place,
        **fields,
    }
    return SurveyResponse.objects.create(**values)


def refused(make) -> str:
    """The name of the constraint the database refused ``make()`` by (empty if none)."""
    try:
        with transaction.atomic():
            make()
    except IntegrityError as exc:
        return str(exc)
    return ""


def test_one_response_per_source_and_external_id(place):
    response(place, 1)

    error = refused(lambda: response(place, 1, score=5))

    assert "surveyresponse_unique_source_external_id" in error or "UNIQUE" in error
    assert not refused(lambda: response(place, 1, source="qualtrics"))
    assert SurveyResponse.objects.count() == 2


@pytest.mark.parametrize("metric", list(RANGES))
def test_a_score_outside_its_metrics_range_is_refused_by_the_database(place, metric):
    low, high = RANGES[metric]

    for n, score in enumerate([low, high]):
        assert not refused(lambda n=n, score=score: response(place, n, metric=metric, score=score))
    for n, score in enumerate([low - 1, high + 1], start=10):
        if score < 0:
            continue  # not a positive number at all: refused by the column's own check
        error = refused(lambda n=n, score=score: response(place, n, metric=metric, score=score))
        assert "surveyresponse_score_in_range" in error, (metric, score)
    assert SurveyResponse.objects.count() == 2


def test_one_rollup_cell_even_without_a_team_or_category(place):
    cell = {
        "metric": "csat",
        "day": datetime.date(2026, 1, 5),
        "location_id": place["location"].pk,
        "channel_id": place["channel"].pk,
        "n": 1,
        "score_sum": 4,
        "top_box": 1,
        "promoters": 0,
        "detractors": 0,
    }
    SurveyDailyRollup.objects.create(**cell)

    error = refused(lambda: SurveyDailyRollup.objects.create(**cell))

    assert "surveyrollup_unique_cell" in error or "UNIQUE" in error
    assert not refused(lambda: SurveyDailyRollup.objects.create(**{**cell, "metric": "nps"}))


def test_the_analytics_index_starts_with_location_channel_and_time():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, SurveyResponse._meta.db_table
        )

    index = constraints["surveyresponse_loc_chan_at_idx"]
    assert index["index"]
    assert index["columns"] == ["location_id", "channel_id", "responded_at"]
