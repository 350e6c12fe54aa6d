import random
import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from portal.demo import SCALES, seed_org
from portal.models import User

# Each app adds its demo data after the organisation exists; order matters.
SEEDERS = [
    "feedback.demo.seed",
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
        org = seed_org(rng=rng, scale=scale, password=password)
        self.stdout.write(
            f"Organisation: {len(org.locations)} locations, {len(org.teams)} teams, "
            f"{len(org.staff)} staff."
        )
        # The history the seeders replay would e-mail every demo account hundreds of
        # times: e-mail is off while it runs, then on again for the demo log-ins only.
        people = [*org.staff, *org.demo_users.values()]
        User.objects.filter(pk__in=[p.pk for p in people]).update(email_notifications=False)
        for path in SEEDERS:
            seeder = import_string(path)
            summary = seeder(org=org, rng=random.Random(f"{seed}:{path}"), scale=scale)
            if summary:
                self.stdout.write(summary)
        User.objects.filter(pk__in=[u.pk for u in org.demo_users.values()]).update(
            email_notifications=True
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {time.monotonic() - started:.1f}s. Log in as frontline, trainer, "
                f"manager or admin with password {password!r}."
            )
        )
