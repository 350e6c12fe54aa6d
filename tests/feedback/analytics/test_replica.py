"""With ``ANALYTICS_DATABASE_URL`` set, the analytics read the replica it names, not the
primary: a second PostgreSQL database holding other figures than the primary proves
where the numbers came from."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import psycopg
import pytest
from django.db import connection

from feedback.models import SurveyDailyRollup
from tests.conftest import _database_url
from tests.feedback.analytics.conftest import generate, load

ROOT = Path(__file__).resolve().parents[3]
ASK = """
import json, django
django.setup()
from rest_framework.test import APIClient
from portal.models import User
from django.db import connections
client = APIClient()
client.force_authenticate(User.objects.get(username="ada"))
body = client.get("/api/v1/analytics/trends/",
                  {"by": "none", "period": "month", "from": "2026-01-01", "to": "2026-03-31"})
print(json.dumps({"status": body.status_code, "body": body.json(),
                  "analytics": "analytics" in connections.settings}))
"""


def _admin(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_a_replica_every_analytics_read_goes_there(ada, places):
    from datetime import date

    # Given committed responses, copied into a second database (the "replica")…
    raw = load(
        generate(
            np.random.default_rng(1),
            metric="csat",
            from_day=date(2026, 1, 5),
            to_day=date(2026, 3, 29),
            cells=[{"channel": "branch", "location": "RUH-01", "rate": 3, "satisfied": 0.8}],
        )
    )
    primary = _database_url()
    name = connection.settings_dict["NAME"]
    replica = primary.rsplit("/", 1)[0] + f"/{name}_replica"
    connection.close()
    with psycopg.connect(_admin(primary), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}_replica"')
        admin.execute(f'CREATE DATABASE "{name}_replica" TEMPLATE "{name}"')
    try:
        # …and then the primary loses its rollup: it now has other figures
        SurveyDailyRollup.objects.all().delete()

        # When the analytics are asked for with ANALYTICS_DATABASE_URL naming the replica
        def ask(**extra):
            env = {"DATABASE_URL": primary, "DJANGO_SETTINGS_MODULE": "portal.settings", **extra}
            done = subprocess.run(
                [sys.executable, "-c", ASK],
                cwd=ROOT,
                env={**_base_env(), **env},
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr[-3000:]
            return json.loads(done.stdout.strip().splitlines()[-1])

        with_replica = ask(ANALYTICS_DATABASE_URL=replica)
        without = ask()

        # Then the figures are the replica's; without it, the primary's
        assert with_replica["analytics"] and not without["analytics"]
        counted = sum(p["n"] for p in with_replica["body"]["series"][0]["points"])
        assert counted == len(raw)
        assert without["body"]["series"] == []
    finally:
        with psycopg.connect(_admin(primary), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}_replica"')


def _base_env() -> dict:
    import os

    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "ANALYTICS_", "CELERY_"))
    }
