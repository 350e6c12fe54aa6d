"""Insights and the service standards that answer them (training.links).

Training stores which insights a standard version answers by id, and asks feedback,
through the functions registered here, which ids a person may see and whom to tell
when such a version is published: the submitter (anonymous ones by their keyed hash)
and the followers, as for any change to their insight.
"""

from django.db.models import QuerySet

from feedback.models import Insight
from feedback.selectors import insights_visible_to
from feedback.services._notify import notify_all
from training import links
from training.models import StandardVersion, VersionAnswer


def visible_insights(user, ids: list[int]) -> dict[int, dict]:
    """Among ``ids``, the insights ``user`` may see: an id they may not see is, to them,
    no insight at all."""
    found = insights_visible_to(user).filter(pk__in=ids).order_by("pk")
    return {i.pk: {"title": i.title, "url": i.get_absolute_url()} for i in found}


def notify_submitters(version: StandardVersion, ids: list[int]) -> None:
    """Tell the submitters and followers of each insight that it changed the standard."""
    standard = version.standard
    for insight in Insight.objects.filter(pk__in=ids).order_by("pk"):
        notify_all(
            insight,
            kind="insight_changed_standard",
            context={
                "standard": standard.code,
                "standard_title_en": standard.title_en,
                "standard_title_ar": standard.title_ar,
                "version": version.number,
            },
            exclude=None,
            dedupe_key=f"insight-standard:{version.pk}:{insight.pk}",
        )


def versions_answering(insight: Insight) -> QuerySet[VersionAnswer]:
    """The published standard versions that answer ``insight``, oldest first."""
    return (
        VersionAnswer.objects.filter(insight_id=insight.pk, version__published_at__isnull=False)
        .select_related("version__standard")
        .order_by("version__published_at")
    )


def register() -> None:
    links.register_insights(lookup=visible_insights, notifier=notify_submitters)
