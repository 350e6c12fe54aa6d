"""Demo insights in Arabic and English across every status, with endorsements,
comments and implemented fixes. Written through the services, then back-dated, so
the history is the same as real use would leave.

Two parts carry the planted truths of ``portal.demo_truths`` (the survey seeder,
``feedback.survey.demo``, makes the customers' side agree with them):

* the implemented insights are exactly :data:`FIXES` — one per channel and location,
  months apart, so that each one's before/after windows are clean and its control
  locations had no fix of their own meanwhile;
* a burst of ``DROP_CATEGORY`` insights on ``DROP_CHANNEL`` during the drop weeks.
"""

import datetime
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from feedback import services
from feedback.demo_texts import COMMENTS, NOTES, REMARKS, REWORDINGS, TEMPLATES
from feedback.models import Category, Insight, InsightEvent, Privacy, Status
from portal import demo_truths
from portal.anonymity import coarse
from portal.models import Channel

SCALE_COUNTS = {"small": 160, "medium": 1500, "large": 6000}

# The demo's implemented fixes: (category, channel) of a template above, the location,
# and how many weeks before the seeding day the fix went live. At least eight weeks
# from either end of the survey history, and no two on one channel within 16 weeks.
# None on the phone: it is the channel that lags (demo truth 1), and stays so.
FIXES = [
    ("waiting_time", "branch", "RUH-02", 34),
    ("digital_channels", "app", "JED-01", 26),
    ("billing", "email", "DMM-CC", 44),
    ("delivery", "delivery", "JED-HUB", 52),
    ("staff_knowledge", "chat", "DMM-CC", 60),
    ("communication", "social", "RUH-CC", 70),
]
# Insights of DROP_CATEGORY on DROP_CHANNEL reported each day of the drop.
DROP_BURST_PER_DAY = 1


def _worded(rng: random.Random, wording: tuple[str, str, str], language: str, used: Counter):
    """A template's title, pain point and fix as one member of staff might put them:
    one of the least used of its titles so far (``used`` counts them), so that no title
    is repeated word for word much more often than the others."""
    title, pain, fix = wording
    titles = [title, *REWORDINGS.get(title, [])]
    fewest = min(used[t] for t in titles)
    title = rng.choice([t for t in titles if used[t] == fewest])
    used[title] += 1
    return title, pain + rng.choice(REMARKS[language]), fix


# Target status and its weight; the path to each is walked through the service.
PATHS = {
    Status.NEW: [],
    Status.UNDER_REVIEW: [Status.UNDER_REVIEW],
    Status.ACCEPTED: [Status.UNDER_REVIEW, Status.ACCEPTED],
    Status.IN_PROGRESS: [Status.ACCEPTED, Status.IN_PROGRESS],
    Status.IMPLEMENTED: [
        Status.UNDER_REVIEW,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.IMPLEMENTED,
    ],
    Status.DECLINED: [Status.UNDER_REVIEW, Status.DECLINED],
}
# Random insights are never implemented: the implemented ones are FIXES.
WEIGHTS = {
    Status.NEW: 14,
    Status.UNDER_REVIEW: 12,
    Status.ACCEPTED: 14,
    Status.IN_PROGRESS: 22,
    Status.DECLINED: 6,
}


def _pick_status(rng: random.Random) -> str:
    statuses = list(WEIGHTS)
    return rng.choices(statuses, weights=[WEIGHTS[s] for s in statuses])[0]


def _template(category: str, channel: str):
    return next(t for t in TEMPLATES if t[0] == category and t[1] == channel)


class _Seeder:
    def __init__(self, *, org, rng: random.Random):
        self.rng = rng
        self.channels = {c.code: c for c in Channel.objects.all()}
        self.categories = {c.code: c for c in Category.objects.all()}
        self.staff = [u for u in org.staff if u.team_id]
        self.staff.append(org.demo_users["frontline"])
        self.head_manager = org.demo_users["manager"]
        self.today = timezone.localdate()
        self.titles: Counter = Counter()

    def submit(self, template, author, submitted, privacy=Privacy.NAMED) -> Insight:
        category, channel, english, arabic = template
        rng = self.rng
        title, pain, fix = _worded(
            rng, arabic if author.language == "ar" else english, author.language, self.titles
        )
        insight = services.insight_submit(
            author=author,
            title=title,
            pain_point=pain,
            suggested_fix=fix if rng.random() < 0.85 else "",
            channel=self.channels[channel],
            category=self.categories[category],
            customer_impact=rng.choice(["low", "medium", "medium", "high", "critical"]),
            frequency=rng.choice(["rare", "weekly", "daily", "daily", "hourly"]),
            privacy=privacy,
        )
        if insight.is_anonymous:
            submitted = coarse(submitted)  # as the service stamps anonymous reports
        Insight.objects.filter(pk=insight.pk).update(created_at=submitted)
        InsightEvent.objects.filter(insight=insight).update(created_at=submitted)
        insight.created_at = submitted
        return insight

    def walk(self, insight, author, target, *, implemented_on=None) -> None:
        """Move ``insight`` to ``target`` through the service, back-dating each step."""
        rng = self.rng
        moment = insight.created_at
        steps = PATHS[target]
        for number, step in enumerate(steps, start=1):
            moment = min(
                moment + datetime.timedelta(days=rng.randint(1, 20), hours=rng.randint(1, 8)),
                timezone.now(),
            )
            if implemented_on is not None:
                # The steps before the fix went live fall before it.
                start = datetime.datetime.combine(
                    implemented_on, datetime.time(9), tzinfo=timezone.get_current_timezone()
                )
                moment = start - datetime.timedelta(days=3 * (len(steps) - number))
            note_en, note_ar = NOTES.get(step, ("", ""))
            implemented_at = None
            if step == Status.IMPLEMENTED:
                implemented_at = implemented_on or min(timezone.localdate(moment), self.today)
            services.insight_transition(
                insight=insight,
                by=self.head_manager,
                to_status=step,
                note=note_ar if author.language == "ar" else note_en,
                implemented_at=implemented_at,
            )
            InsightEvent.objects.filter(insight=insight, to_status=step).update(created_at=moment)
        if steps:
            first = InsightEvent.objects.filter(insight=insight, kind="status").order_by("id")[0]
            Insight.objects.filter(pk=insight.pk).update(first_response_at=first.created_at)

    def conversation(self, insight, author, privacy, target) -> None:
        rng, staff = self.rng, self.staff
        closed = target in (Status.DECLINED, Status.DUPLICATE)
        if privacy not in (Privacy.CONFIDENTIAL, Privacy.ANONYMOUS_CONFIDENTIAL) and not closed:
            for endorser in rng.sample(staff, k=min(len(staff), rng.randint(0, 6))):
                if endorser.pk != author.pk:
                    services.insight_endorse(insight=insight, user=endorser)
            if rng.random() < 0.35:
                commenter = rng.choice(staff)
                text_en, text_ar = rng.choice(COMMENTS)
                services.comment_add(
                    insight=insight,
                    by=commenter,
                    body=text_ar if commenter.language == "ar" else text_en,
                )
        if rng.random() < 0.2:
            services.comment_add(
                insight=insight,
                by=self.head_manager,
                body="Checking with the owning department."
                if rng.random() < 0.5
                else "نتحقق مع الإدارة المعنية.",
                is_internal=True,
            )

    def random_insight(self) -> None:
        rng = self.rng
        template = rng.choice(TEMPLATES)
        author = rng.choice(self.staff)
        privacy = rng.choices(
            [
                Privacy.NAMED,
                Privacy.ANONYMOUS,
                Privacy.CONFIDENTIAL,
                Privacy.ANONYMOUS_CONFIDENTIAL,
            ],
            weights=[70, 18, 8, 4],
        )[0]
        age_days = rng.randint(0, 540)
        submitted = timezone.now() - datetime.timedelta(days=age_days, hours=rng.randint(0, 10))
        insight = self.submit(template, author, submitted, privacy)
        target = _pick_status(rng) if age_days > 3 else Status.NEW
        self.walk(insight, author, target)
        self.conversation(insight, author, privacy, target)

    def fix(self, category, channel, location, weeks_ago) -> None:
        implemented_on = self.today - datetime.timedelta(weeks=weeks_ago)
        authors = [u for u in self.staff if u.team.location.code == location]
        author = self.rng.choice(authors)
        submitted = datetime.datetime.combine(
            implemented_on - datetime.timedelta(days=self.rng.randint(40, 70)),
            datetime.time(10),
            tzinfo=timezone.get_current_timezone(),
        )
        insight = self.submit(_template(category, channel), author, submitted)
        self.walk(insight, author, Status.IMPLEMENTED, implemented_on=implemented_on)
        self.conversation(insight, author, Privacy.NAMED, Status.IMPLEMENTED)

    def drop_burst(self) -> int:
        """Staff report the drop's problem again and again while it lasts."""
        start = self.today - datetime.timedelta(weeks=demo_truths.DROP_STARTS_WEEKS_AGO)
        template = _template(demo_truths.DROP_CATEGORY, demo_truths.DROP_CHANNEL)
        created = 0
        for day in range(demo_truths.DROP_WEEKS * 7):
            for _n in range(DROP_BURST_PER_DAY):
                author = self.rng.choice(self.staff)
                submitted = datetime.datetime.combine(
                    start + datetime.timedelta(days=day),
                    datetime.time(self.rng.randint(8, 20), self.rng.randint(0, 59)),
                    tzinfo=timezone.get_current_timezone(),
                )
                insight = self.submit(template, author, submitted)
                target = self.rng.choice([Status.NEW, Status.UNDER_REVIEW, Status.ACCEPTED])
                self.walk(insight, author, target)
                self.conversation(insight, author, Privacy.NAMED, target)
                created += 1
        return created


@transaction.atomic
def seed(*, org, rng: random.Random, scale: str) -> str:
    """Add demo insights once; a second run leaves them as they are."""
    if Insight.objects.exists():
        return f"Insights: {Insight.objects.count()} already present."
    seeder = _Seeder(org=org, rng=rng)
    for _i in range(SCALE_COUNTS[scale]):
        seeder.random_insight()
    for fix in FIXES:
        seeder.fix(*fix)
    burst = seeder.drop_burst()
    return (
        f"Insights: {SCALE_COUNTS[scale] + len(FIXES) + burst} created across every status "
        f"({len(FIXES)} fixes implemented, {burst} reports during the drop)."
    )
