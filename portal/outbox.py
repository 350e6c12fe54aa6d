"""Background work that cannot be lost.

Every piece of work the portal promises to do later (an e-mail, an import, a
reminder) is a database row first, written in the same transaction as the change
that asked for it. Celery is only the fast path:

* :func:`enqueue_on_commit` sends the task once the transaction commits. A broker
  that cannot be reached is logged, never raised: the write has committed and the
  request must not fail because of it. After a broker failure the process does not
  try the broker again for ``BROKER_PAUSE_SECONDS``, so an outage costs one request
  one time-out, not every e-mail of every request its own.
* A task claims its row with a conditional ``UPDATE`` that sets a lease
  (``claimed_at``); a row whose lease has expired (its worker died) can be claimed
  again. Claims are idempotent, so a message delivered twice does the work once.
* Each kind of work registers a *sweeper* (:func:`register_sweeper`); the Celery beat
  task ``portal.tasks.sweep_outbox_task`` runs them every minute and re-queues rows
  left pending (the broker was down) or with an expired lease (the worker died).

Delivery is therefore at least once. The one window for a duplicate is a worker that
dies after the outside effect (the mail server accepted the message) and before it
recorded that on the row; the lease then expires and the work is done again.
"""

import datetime
import logging
import time
from collections.abc import Callable
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)

_SWEEPERS: dict[str, Callable[[datetime.datetime], int]] = {}

# Once the broker has failed, this process leaves it alone for a while. During an
# outage every publish waits out its connection time-out and retries (seconds each),
# so a request that queues many e-mails (a bulk status change) would outlast the web
# server's time-out and answer an error after its change had committed. The rows stay
# pending; the sweeper queues them once the broker is back.
BROKER_PAUSE_SECONDS = 15
_broker_paused_until = 0.0


def enqueue(task, *args) -> bool:
    """Send ``task(*args)`` to the broker now. Returns whether it was sent; a failure
    is logged and left to the sweeper."""
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        log.debug("the broker failed a moment ago; %s%r is left to the sweeper", task.name, args)
        return False
    try:
        task.apply_async(args=args)
    except SoftTimeLimitExceeded:
        # The task doing the queueing (a sweeper) ran out of time: let it stop now,
        # not carry on until the hard limit kills its process.
        raise
    except Exception as exc:
        # A broker outage (or, in-process, a failing task) must not undo or fail the
        # committed write that asked for the work: the row stays pending and the
        # sweeper queues it again.
        if isinstance(exc, BrokerError):
            _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        log.warning("could not queue %s%r; the outbox sweeper will", task.name, args, exc_info=True)
        return False
    return True


def enqueue_on_commit(task, *args, using: str | None = None) -> None:
    """Send ``task(*args)`` after the current transaction commits (at once outside one).

    Robust: one callback failing neither raises into the request nor stops the
    other callbacks of the same commit.
    """
    transaction.on_commit(partial(enqueue, task, *args), using=using, robust=True)


def lease_expired_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Claims older than this have expired: their worker is presumed dead."""
    return (now or timezone.now()) - datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def register_sweeper(name: str):
    """Register ``fn(now) -> int`` (rows re-queued) to run on every outbox sweep."""

    def decorator(fn: Callable[[datetime.datetime], int]):
        _SWEEPERS[name] = fn
        return fn

    return decorator


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every sweeper; returns how many rows each re-queued."""
    now = now or timezone.now()
    return {name: fn(now) for name, fn in sorted(_SWEEPERS.items())}
