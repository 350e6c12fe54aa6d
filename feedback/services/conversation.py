"""Comments, "me too" endorsements and follows."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from feedback.models import (
    Comment,
    Endorsement,
    Follow,
    Insight,
    Status,
)
from feedback.selectors import can_manage, is_mine
from feedback.services._notify import notify_all
from portal.models import User


@transaction.atomic
def comment_add(*, insight: Insight, by: User, body: str, is_internal: bool = False) -> Comment:
    """Comment on an insight the user can see. Managers in scope may keep it internal."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("This field is required.")})
    managing = can_manage(by, insight)
    if is_internal and not managing:
        raise ValidationError({"is_internal": _("Only managers can write internal comments.")})
    # An internal note is a manager's: written by the submitter of an anonymous
    # report, "the submitter" on it would say that the submitter is a manager.
    by_submitter = is_mine(by, insight) and not is_internal
    comment = Comment(
        insight=insight,
        author=None if (by_submitter and insight.is_anonymous) else by,
        by_submitter=by_submitter,
        body=body,
        is_internal=is_internal,
    )
    comment.full_clean()
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
    deleted, _detail = Endorsement.objects.filter(insight=insight, user=user).delete()
    return bool(deleted)


def insight_follow(*, insight: Insight, user: User) -> bool:
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
    deleted, _detail = Follow.objects.filter(insight=insight, user=user).delete()
    return bool(deleted)
