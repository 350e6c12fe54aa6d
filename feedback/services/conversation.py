"""Comments, "me too" endorsements and follows. Each looks the insight up as its user
may see it (``visible_insight``), so a caller cannot act on one they may not see."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import (
    Comment,
    Endorsement,
    Follow,
    Insight,
    Status,
)
from feedback.selectors import can_manage, is_mine, visible_insight
from feedback.services._notify import notify_all
from portal.anonymity import coarse_now
from portal.models import User


@transaction.atomic
def comment_add(*, insight: Insight, by: User, body: str, is_internal: bool = False) -> Comment:
    """Comment on an insight the user can see. Managers in scope may keep it internal."""
    insight = visible_insight(by, insight.pk)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("This field is required.")})
    managing = can_manage(by, insight)
    if is_internal and not managing:
        raise ValidationError({"is_internal": _("Only managers can write internal comments.")})
    # An internal note is a manager's: written by the submitter of an anonymous
    # report, "the submitter" on it would say that the submitter is a manager.
    by_submitter = is_mine(by, insight) and not is_internal
    nameless = by_submitter and insight.is_anonymous
    comment = Comment(
        insight=insight,
        author=None if nameless else by,
        by_submitter=by_submitter,
        body=body,
        is_internal=is_internal,
        # The anonymous submitter's words are stamped to the hour, like all they do.
        created_at=coarse_now() if nameless else timezone.now(),
    )
    comment.clean_fields(exclude=["insight", "author"])
    comment.save()
    if managing and not by_submitter and not is_internal and insight.first_response_at is None:
        Insight.objects.filter(pk=insight.pk, first_response_at__isnull=True).update(
            first_response_at=comment.created_at
        )
    if not is_internal:
        # Who replied, as the insight page shows it: a name, "the submitter" (never
        # named when anonymous), or nobody in particular.
        by_name = comment.author.display_name if comment.author else ""
        notify_all(
            insight,
            kind="insight_comment",
            context={"comment_id": comment.pk, "by": by_name, "by_submitter": by_submitter},
            exclude=by,
        )
    return comment


def insight_endorse(*, insight: Insight, user: User) -> bool:
    """ "Me too". Endorsing twice is one endorsement. Returns whether it was new."""
    insight = visible_insight(user, insight.pk)
    if is_mine(user, insight):
        raise ValidationError({"insight": _("You cannot endorse your own insight.")})
    if insight.status in (Status.DUPLICATE, Status.DECLINED):
        raise ValidationError({"insight": _("This insight is closed; endorse the open one.")})
    try:
        with transaction.atomic():
            _endorsement, created = Endorsement.objects.get_or_create(insight=insight, user=user)
    except IntegrityError:
        created = False  # a concurrent click won the race
    return created


def insight_unendorse(*, insight: Insight, user: User) -> bool:
    insight = visible_insight(user, insight.pk)
    deleted, _detail = Endorsement.objects.filter(insight=insight, user=user).delete()
    return bool(deleted)


def insight_follow(*, insight: Insight, user: User) -> bool:
    """Follow an insight the user can see. Returns whether the follow is new."""
    insight = visible_insight(user, insight.pk)
    # Submitters hear about their insight anyway; a follow row would name an anonymous one.
    if is_mine(user, insight):
        return False
    try:
        with transaction.atomic():
            _follow, created = Follow.objects.get_or_create(insight=insight, user=user)
    except IntegrityError:
        created = False
    return created


def insight_unfollow(*, insight: Insight, user: User) -> bool:
    insight = visible_insight(user, insight.pk)
    deleted, _detail = Follow.objects.filter(insight=insight, user=user).delete()
    return bool(deleted)
