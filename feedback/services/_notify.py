"""Who hears about a change to an insight, and telling them."""

from django.db.models import Prefetch

from feedback.models import Follow, Insight
from feedback.selectors import can_see
from portal.anonymity import author_token
from portal.models import User
from portal.services import Recipient, notify_many

# What a follower needs loaded for "may they see it?" and "do they want e-mail?".
FOLLOWER_USERS = User.objects.prefetch_related("role_links", "managed_locations")


def recipients_of(insight: Insight, *, exclude: User | None = None) -> list[Recipient]:
    """Who hears about a change: the submitter (by hash if anonymous) and followers.

    A constant number of queries whatever the number of followers.
    """
    recipients: list[Recipient] = []
    seen: set[int] = set()
    if exclude is not None:
        seen.add(exclude.pk)
    excluded_token = author_token(exclude) if exclude is not None else None
    if insight.author_id and insight.author_id not in seen:
        recipients.append(Recipient(user=insight.author))
        seen.add(insight.author_id)
    elif insight.author_token and insight.author_token != excluded_token:
        recipients.append(Recipient(token=insight.author_token, sealed=insight.author_sealed))
    follows = Follow.objects.filter(insight=insight).prefetch_related(
        Prefetch("user", queryset=FOLLOWER_USERS)
    )
    for follow in follows:
        if follow.user_id in seen:
            continue
        # A follower who may not see a confidential insight (a merged duplicate's
        # follower, a manager moved out of scope) hears nothing of it.
        if not can_see(follow.user, insight):
            continue
        recipients.append(Recipient(user=follow.user))
        seen.add(follow.user_id)
    return recipients


def notify_all(
    insight: Insight,
    *,
    kind: str,
    context: dict,
    exclude: User | None,
    recipients: list[Recipient] | None = None,
) -> None:
    context = {"insight_id": insight.pk, "title": insight.title, **context}
    if recipients is None:
        recipients = recipients_of(insight, exclude=exclude)
    notify_many(kind=kind, context=context, url=insight.get_absolute_url(), recipients=recipients)
