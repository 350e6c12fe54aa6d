"""Issue 7.3: submitting an insight runs few queries, whatever the privacy mode."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from portal.api.authentication import token_issue
from tests.feedback.conftest import INSIGHTS, insight_payload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("privacy", ["named", "anonymous", "confidential"])
def test_submitting_an_insight_runs_at_most_ten_queries(alice, privacy):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=alice)}")

    with CaptureQueriesContext(connection) as queries:
        response = client.post(INSIGHTS, insight_payload(privacy=privacy), format="json")

    assert response.status_code == 201, response.content
    # 1 the key, with its user, team and location; 2 channel, 3 category (by code);
    # 4 savepoint; 5 the insight; 6 its "submitted" event; 7 release — and nothing
    # read back: the answer is the insight as created.
    assert len(queries) == 7, "\n".join(q["sql"][:90] for q in queries.captured_queries)
    assert response.json()["endorsement_count"] == 0
    assert response.json()["is_mine"] is True
