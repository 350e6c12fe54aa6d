"""Customer evidence: the figures of the matching responses and of all of them."""

import numpy as np
import pytest

from feedback.analytics import evidence
from tests.feedback.analytics.truth import assert_figure, counts_of, draw, expected_figure


@pytest.mark.parametrize("seed", range(20))
def test_matching_and_overall_csat_equal_the_raw_responses(seed):
    # Given all responses on a channel and location, and those whose comment matched
    rng = np.random.default_rng(seed)
    overall = draw(rng, "csat", int(rng.integers(0, 600)), rng.uniform(0.5, 0.9))
    matching = overall[rng.random(overall.size) < rng.uniform(0.02, 0.3)]
    comments = [{"comment": "الانتظار طويل", "score": 2, "responded_at": "2025-01-05"}]

    result = evidence(
        matching=counts_of("csat", matching),
        overall=counts_of("csat", overall),
        comments=comments,
        min_n=30,
    ).as_dict()

    assert result["comments"] == comments
    assert_figure(result["matching"], expected_figure("csat", matching, 30))
    assert_figure(result["overall"], expected_figure("csat", overall, 30))


def test_evidence_says_how_it_was_computed_and_what_it_cannot_say():
    rng = np.random.default_rng(1)
    overall = draw(rng, "csat", 400, 0.8)

    result = evidence(matching=counts_of("csat", overall[:10]), overall=counts_of("csat", overall))

    assert result.matching.suppressed and not result.overall.suppressed
    assert "resembles the insight" in str(result.method)
    assert [str(caveat) for caveat in result.caveats] == [
        "Comments are matched on shared words, not on meaning; the matching responses are "
        "part of all responses, so the two figures are not independent.",
        "Figures from fewer than 30 responses are not shown.",
    ]
