import random
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Max
from django.utils.module_loading import import_string

from portal.demo import SCALES, seed_org
from portal.models import Notification
from portal.services import notifications_without_email

# Each app adds its demo data after the organisation exists; order matters.
SEEDERS = [
    "training.demo.seed",
    "feedback.demo.seed",
    "feedback.survey.demo.seed",
]


class Command(BaseCommand):
    help = "Create (or refresh) a realistic bilingual demo organisation with data."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--password", default="demo-password-2026")

    def handle(self, *args, scale: str, seed: int, password: str, **options):
        started = time.monotonic()
        rng = random.Random(seed)
        # Nothing the demo does is e-mailed: its people are made up, and nobody
        # should receive two years of news at once.
        with notifications_without_email():
            # Each new person is welcomed, once, as anyone who joins is.
            org = seed_org(rng=rng, scale=scale, password=password)
            self.stdout.write(
                f"Organisation: {len(org.locations)} locations, {len(org.teams)} teams, "
                f"{len(org.staff)} staff."
            )
            # The history the seeders replay is history, not news: it shows on the
            # insights' pages, and a new person's notifications are their welcome
            # alone, not a dozen replayed changes to insights they "posted". (The
            # seeders replay only into an empty portal, so what they notified is
            # all that is taken back.)
            replayed_after = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
            for path in SEEDERS:
                seeder = import_string(path)
                summary = seeder(org=org, rng=random.Random(f"{seed}:{path}"), scale=scale)
                if summary:
                    self.stdout.write(summary)
            Notification.objects.filter(pk__gt=replayed_after).delete()
        # The tables were just filled in bulk: without fresh statistics PostgreSQL
        # plans the first queries as if they were empty (similar search 31 -> 387 ms).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {time.monotonic() - started:.1f}s. Log in as frontline, trainer, "
                f"manager or admin with password {password!r}."
            )
        )
