"""Who hears about a change to an insight, and telling them."""

from feedback.models import (
    Insight,
)
from feedback.selectors import can_see
from portal.anonymity import author_token
from portal.models import User
from portal.services import notify


def recipients_of(insight: Insight, *, exclude: User | None = None) -> list[dict]:
    """Who hears about a change: the submitter (by hash if anonymous) and followers."""
    recipients: list[dict] = []
    seen: set[int] = set()
    if exclude is not None:
        seen.add(exclude.pk)
    excluded_token = author_token(exclude) if exclude is not None else None
    if insight.author_id and insight.author_id not in seen:
        recipients.append({"recipient": insight.author})
        seen.add(insight.author_id)
    elif insight.author_token and insight.author_token != excluded_token:
        recipients.append({"recipient_token": insight.author_token})
    for follow in insight.follows.select_related("user"):
        if follow.user_id in seen:
            continue
        # A follower who may not see a confidential insight (a merged duplicate's
        # follower, a manager moved out of scope) hears nothing of it.
        if insight.is_confidential and not can_see(follow.user, insight):
            continue
        recipients.append({"recipient": follow.user})
        seen.add(follow.user_id)
    return recipients


def notify_all(
    insight: Insight,
    *,
    kind: str,
    context: dict,
    exclude: User | None,
    recipients: list[dict] | None = None,
    dedupe_key: str = "",
) -> None:
    context = {"insight_id": insight.pk, "title": insight.title, **context}
    if recipients is None:
        recipients = recipients_of(insight, exclude=exclude)
    for recipient in recipients:
        notify(
            kind=kind,
            context=context,
            url=insight.get_absolute_url(),
            dedupe_key=dedupe_key,
            **recipient,
        )
