"""Fault scenarios shared by the reliability scripts and their pytest versions.

They need Django set up (the scripts do it against their private database; pytest
against the test database) and a worker writing e-mails with the file-based backend
into ``mail_dir``.
"""

import contextlib
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from tests.reliability.stack import Tally
from tests.workers import Process, freeze, subject_counts, thaw, wait_until


@dataclass
class Staff:
    location: object
    frontline: list
    manager: object
    tokens: dict[str, str]  # username -> API token


def make_staff(count: int, *, prefix: str = "staff") -> Staff:
    """One branch, ``count`` frontline staff and a manager of the whole organisation
    (no managed locations), all with e-mail on and an API token each. No passwords:
    hashing them would cost seconds, and the API is called with tokens."""
    from portal import services
    from portal.api.authentication import token_issue
    from portal.models import Role
    from tests.factories import LocationFactory, TeamFactory

    location = LocationFactory(code=f"{prefix.upper()}-01")
    team = TeamFactory(code=f"{prefix.upper()}-T", location=location)

    def person(username: str, roles) -> object:
        return services.user_create(
            username=username,
            display_name=username.title(),
            email=f"{username}@example.test",
            roles=roles,
            team=team,
            send_welcome=False,
        )

    frontline = [person(f"{prefix}{i:03d}", [Role.FRONTLINE]) for i in range(count)]
    manager = person(f"{prefix}-manager", [Role.MANAGER])
    tokens = {user.username: token_issue(user=user) for user in [*frontline, manager]}
    return Staff(location=location, frontline=frontline, manager=manager, tokens=tokens)


def queue_messages(recipients: Sequence, *, count: int, marker: str) -> list[str]:
    """Create ``count`` e-mailed notifications in one transaction (their e-mails are
    queued when it commits), each titled with a marker of its own; the e-mail's
    subject is the title, so the e-mails can be counted per notification."""
    from portal import services

    titles = [f"{marker}-{i:05d}" for i in range(count)]
    with transaction.atomic():
        for i, title in enumerate(titles):
            services.notify(
                recipient=recipients[i % len(recipients)],
                kind="message",
                context={"title": title, "body": "A message to count."},
            )
    return titles


def claimed_and_written(mail_dir: Path) -> list[str]:
    """Notifications in the one window where a kill sends an e-mail twice (documented
    in portal.outbox): claimed (``sending``) and their e-mail already written."""
    from portal.models import Notification

    claimed = list(
        Notification.objects.filter(email_status=Notification.EmailStatus.SENDING).values_list(
            "context__title", flat=True
        )
    )
    if not claimed:
        return []
    written = subject_counts(mail_dir)
    return [title for title in claimed if written[title]]


def kill_outside_the_window(pids: Callable[[], list[int]], mail_dir: Path) -> int:
    """``kill -9`` the processes ``pids()`` while none of them is between handing an
    e-mail over and recording it (that window is documented, a kill there is not a
    bug). Freezes them, looks, and either kills them frozen or lets them run a moment
    and looks again. Returns how many times it had to wait."""
    for waited in range(1000):
        frozen = freeze(pids())
        if not claimed_and_written(mail_dir):
            for pid in frozen:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            return waited
        thaw(frozen)
        time.sleep(0.01)
    raise RuntimeError("the processes never left the documented window")


@dataclass
class KillPlan:
    """Kill -9 a prefork worker while a batch is being delivered: ``steps`` are
    (fraction of the batch delivered, "children" or "whole")."""

    steps: Sequence[tuple[float, str]]
    concurrency: int
    restart_after: float = 1.0
    done: list[str] = field(default_factory=list)

    def run(self, worker: Process, titles: Sequence[str], mail_dir: Path, *, timeout: float):
        wanted = set(titles)

        def delivered() -> int:
            return len(wanted & set(subject_counts(mail_dir)))

        for fraction, what in self.steps:
            at = int(fraction * len(titles))
            wait_until(
                lambda at=at: delivered() >= at, timeout=timeout, what=f"{at} e-mails", step=0.1
            )
            if what == "children":
                # A full pool, so every process is killed while busy with the batch.
                wait_until(
                    lambda: len(worker.children()) == self.concurrency,
                    timeout=timeout,
                    what="a full pool",
                )
                waited = kill_outside_the_window(worker.children, mail_dir)
            else:
                waited = kill_outside_the_window(lambda: [worker.pid, *worker.children()], mail_dir)
                worker.kill()
                time.sleep(self.restart_after)
                worker.start()
            self.done.append(
                f"kill -9 {what} at {delivered()}/{len(titles)} delivered"
                + (f" (waited {waited}x for the window to close)" if waited else "")
            )


def delivery_tally(name: str, titles: Sequence[str], mail_dir: Path) -> Tally:
    """Count the e-mails of ``titles`` (one notification each) in ``mail_dir``, and
    check every notification's row says it was sent."""
    from portal.models import Notification

    counts = subject_counts(mail_dir)
    statuses = Counter(
        Notification.objects.filter(context__title__in=list(titles)).values_list(
            "email_status", flat=True
        )
    )
    attempts = Counter(
        Notification.objects.filter(context__title__in=list(titles)).values_list(
            "email_attempts", flat=True
        )
    )
    tally = Tally(
        name=name,
        expected=len(titles),
        delivered=sum(1 for title in titles if counts[title]),
        duplicated=sum(1 for title in titles if counts[title] > 1),
    )
    tally.details.append(f"rows by e-mail status: {dict(sorted(statuses.items()))}")
    tally.details.append(f"rows by claims taken: {dict(sorted(attempts.items()))}")
    if statuses.get(Notification.EmailStatus.SENT, 0) != len(titles):
        tally.failures.append(f"not every row is marked sent: {dict(statuses)}")
    return tally
