"""Demo training: seven bilingual service standards (one with a major revision nine months
ago that made everyone re-train), modules with real quizzes, and two years of
assignments, attempts and acknowledgements.

Everything is written through the services, each call with the moment it happened
(``now=``), in the order it happened, so the records are those real use would leave.
Each team ends with the share of compliant members that ``portal.demo_truths`` plants
(``team_compliance_target``): the survey data makes CSAT follow it.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from portal.demo_truths import team_compliance_target
from portal.models import Channel, Department, User
from training import services
from training.demo.quizzes import MODULES
from training.demo.standards import STANDARDS, TEAM_CHANNELS
from training.models import Assignment, Module, Standard, StandardVersion
from training.selectors import staff
from training.services.quiz import add_months

HISTORY_DAYS = 700  # the first versions; two years of history
RULES_DAYS_AGO = 150  # when the trainers set up rules for newcomers
NEW_HIRES_SHARE = 0.07


def _answers(attempt, right: bool) -> dict:
    answers = {}
    for question in attempt.questions:
        choices = [c["id"] for c in question["choices"] if c["correct"] == right]
        answers[str(question["id"])] = choices if right else choices[:1]
    return answers


@dataclass
class Cycle:
    """One time a person has to (re)do a module: when it opens, and when they act."""

    opens: datetime.datetime
    act: datetime.datetime
    kind: str  # initial, revision, recertification, new_hire


@dataclass
class Plan:
    person: User
    module: Module
    standards: list  # the module's standards that cover the person
    cycles: list = field(default_factory=list)
    failure: str = ""  # how the last cycle goes wrong for someone not compliant
    unacknowledged: Standard | None = None


class History:
    """The demo's two years, replayed in order."""

    def __init__(self, *, org, rng: random.Random):
        self.org, self.rng = org, rng
        self.trainer = org.demo_users["trainer"]
        self.today = timezone.localdate()
        self.events: list = []
        # Per standard, the versions published so far: (published, effective, number).
        self.published: dict[int, list] = defaultdict(list)

    def current(self, standard, when: datetime.datetime) -> int | None:
        numbers = [
            number
            for published, effective, number in self.published[standard.pk]
            if published <= when and effective <= timezone.localdate(when)
        ]
        return max(numbers, default=None)

    def moment(self, days_ago: float, hour: int = 9) -> datetime.datetime:
        day = self.today - datetime.timedelta(days=int(days_ago))
        at = datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59)))
        return timezone.make_aware(at)

    def later(self, when: datetime.datetime, low: int, high: int) -> datetime.datetime:
        at = when + datetime.timedelta(
            days=self.rng.randint(low, high), hours=self.rng.randint(1, 6)
        )
        return min(at, timezone.now() - datetime.timedelta(hours=1))

    def at(self, when: datetime.datetime, fn, *args) -> None:
        self.events.append((when, len(self.events), fn, args))

    def run(self) -> None:
        for _when, _seq, fn, args in sorted(self.events, key=lambda e: (e[0], e[1])):
            fn(*args)


def _serve_channels(org) -> None:
    channels = {c.code: c for c in Channel.objects.all()}
    for code, team in org.teams.items():
        suffix = code.rsplit("-", 1)[-1]
        team.channels.set([channels[c] for c in TEAM_CHANNELS.get(suffix, [])])


def _people(org, history: History) -> tuple[list[User], set[int]]:
    """The demo's staff, with the dates they joined: most long ago, a few lately."""
    people = list(staff().filter(team__isnull=False).select_related("team").order_by("username"))
    demo = {user.pk for user in org.demo_users.values()}
    candidates = [p for p in people if p.pk not in demo]
    hires = history.rng.sample(candidates, max(2, round(len(candidates) * NEW_HIRES_SHARE)))
    new = {p.pk for p in hires}
    for person in people:
        days = history.rng.randint(12, 45) if person.pk in new else history.rng.randint(720, 1500)
        person.date_joined = history.moment(days, hour=8)
    User.objects.bulk_update(people, ["date_joined"], batch_size=500)
    return people, new


def _covering(person: User, standards: list[Standard], channels: dict) -> list[Standard]:
    served = channels.get(person.team_id, set())
    return [s for s in standards if not s.demo_channels or s.demo_channels & served]


def seed(*, org, rng: random.Random, scale: str) -> str:
    """Add the demo's training once; a second run leaves it as it is."""
    if StandardVersion.objects.exists() or Module.objects.exists():
        return f"Training: {StandardVersion.objects.count()} standard versions already present."
    with transaction.atomic():
        return _seed(org=org, rng=rng)


def _seed(*, org, rng: random.Random) -> str:
    history = History(org=org, rng=rng)
    trainer = history.trainer
    _serve_channels(org)
    people, new_hires = _people(org, history)
    team_channels = defaultdict(set)
    for team in org.teams.values():
        team_channels[team.pk] = set(team.channels.values_list("pk", flat=True))
    channels = {c.code: c for c in Channel.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    start = history.moment(HISTORY_DAYS, hour=8)

    standards = {}
    for code, title_en, title_ar, channel_codes, department, texts in STANDARDS:
        standard = services.standard_create(
            by=trainer,
            code=code,
            title_en=title_en,
            title_ar=title_ar,
            channels=[channels[c] for c in channel_codes],
            department=departments.get(department),
        )
        standard.demo_channels = {channels[c].pk for c in channel_codes}
        standards[code] = standard
        for text_en, text_ar, change, notes, days_ago in texts:
            when = history.moment(days_ago, hour=8)
            args = (trainer, standard, text_en, text_ar, change, notes, when, history)
            history.at(when, _publish, *args)

    modules = {}
    for data in MODULES:
        data = dict(data)
        codes = data.pop("standards")
        modules[data["code"]] = services.module_create(
            by=trainer, standards=[standards[c] for c in codes], now=start, **data
        )
        modules[data["code"]].demo_standards = [standards[c] for c in codes]

    # Who is compliant on the seeding day, team by team, as demo_truths plants it.
    by_team = defaultdict(list)
    for person in people:
        by_team[person.team.code].append(person)
    # Newcomers are the first not to be done yet; the demo's log-ins the last.
    demo = {user.pk for user in org.demo_users.values()}
    failing = set()
    for code, members in sorted(by_team.items()):
        keep = round(team_compliance_target(code) * len(members))
        hires = [p for p in members if p.pk in new_hires]
        others = [p for p in members if p.pk not in new_hires and p.pk not in demo]
        rng.shuffle(others)
        ordered = hires + others + [p for p in members if p.pk in demo]
        failing |= {p.pk for p in ordered[: len(members) - keep]}

    plans = []
    for person in people:
        covering = _covering(person, list(standards.values()), team_channels)
        person_plans = [
            Plan(person, module, [s for s in module.demo_standards if s in covering])
            for module in modules.values()
            if any(s in covering for s in module.demo_standards)
        ]
        for plan in person_plans:
            _plan_cycles(plan, history, person.pk in new_hires)
        if person.pk in failing:
            plan = rng.choice(person_plans)
            plan.failure = rng.choice(["skip", "skip", "no_ack", "fail"])
            if plan.failure == "no_ack":
                plan.unacknowledged = rng.choice(plan.standards)
        plans += person_plans

    # The trainers assign the modules to the teams that serve their channels, and the
    # standards for everyone to everyone, when the standards first come out.
    for module in modules.values():
        if any(not s.demo_channels for s in module.demo_standards):
            history.at(start, _assign, module, {"role": "frontline"}, start, trainer)
            continue
        for team in sorted(org.teams.values(), key=lambda t: t.code):
            if any(s.demo_channels & team_channels[team.pk] for s in module.demo_standards):
                history.at(start, _assign, module, {"team": team}, start, trainer)
    # Later, rules for newcomers: consistent information for everyone, delivery at the hub.
    rules_at = history.moment(RULES_DAYS_AGO, hour=10)
    history.at(rules_at, _rule, modules["MOD-CONS"], {"role": "frontline"}, rules_at, trainer)
    if "JED-HUB" in org.locations:
        hub = {"location": org.locations["JED-HUB"]}
        history.at(rules_at, _rule, modules["MOD-DLV"], hub, rules_at, trainer)
    for person in people:
        if person.pk in new_hires:
            history.at(person.date_joined, _join, person, plans, trainer)
    for plan in plans:
        for index, cycle in enumerate(plan.cycles):
            last = index == len(plan.cycles) - 1
            if cycle.kind == "recertification":
                history.at(cycle.opens, _recertify, plan, cycle)
            history.at(cycle.act, _take, plan, cycle, last, history)
    # A refresher the demo's frontline user has just been given, due soon.
    frontline = next(p for p in people if p.pk == org.demo_users["frontline"].pk)
    refresh_at = history.moment(2, hour=10)
    history.at(refresh_at, _refresher, modules["MOD-GREET"], frontline, refresh_at, trainer)

    history.run()
    return (
        f"Training: {len(standards)} standards, {StandardVersion.objects.count()} versions, "
        f"{len(modules)} modules, {Assignment.objects.count()} assignments; "
        f"{len(people) - len(failing)} of {len(people)} staff compliant."
    )


def _plan_cycles(plan: Plan, history: History, new_hire: bool) -> None:
    person, module = plan.person, plan.module
    if new_hire:
        plan.cycles.append(
            Cycle(person.date_joined, history.later(person.date_joined, 1, 10), "new_hire")
        )
        return
    opens = history.moment(HISTORY_DAYS, hour=8)
    act = history.later(opens, 1, 40)
    plan.cycles.append(Cycle(opens, act, "initial"))
    if module.code == "MOD-PRIV":
        revised = history.moment(270, hour=8)
        plan.cycles.append(Cycle(revised, history.later(revised, 2, 45), "revision"))
    while module.recertify_months:
        expires = add_months(timezone.localdate(act), module.recertify_months)
        if expires >= history.today - datetime.timedelta(days=5):
            break
        opens = timezone.make_aware(datetime.datetime.combine(expires, datetime.time(7, 0)))
        act = history.later(opens, 1, 25)
        plan.cycles.append(Cycle(opens, act, "recertification"))


# --- what happens, in order ----------------------------------------------------------------
def _publish(trainer, standard, text_en, text_ar, change, notes, when, history) -> None:
    draft = services.version_create_draft(
        standard=standard,
        by=trainer,
        text_en=text_en,
        text_ar=text_ar,
        change=change,
        change_notes=notes,
        effective_date=timezone.localdate(when),
        now=when - datetime.timedelta(days=3),
    )
    services.version_publish(version=draft, by=trainer, now=when)
    history.published[standard.pk].append((when, draft.effective_date, draft.number))


def _assign(module, target: dict, now, trainer) -> None:
    due = timezone.localdate(now) + datetime.timedelta(days=30)
    services.assign(module=module, due_date=due, by=trainer, now=now, **target)


def _rule(module, target: dict, now, trainer) -> None:
    services.rule_create(module=module, by=trainer, due_in_days=30, now=now, **target)


def _join(person, plans, trainer) -> None:
    """A newcomer: the rules assign theirs; the trainer the rest of what covers them."""
    now = person.date_joined
    services.rules_apply(users=[person], created=True, now=now)
    due = timezone.localdate(now) + datetime.timedelta(days=30)
    for plan in plans:
        if plan.person.pk == person.pk:
            services.assign_people(
                module=plan.module,
                people=[person],
                due_date=due,
                reason="team",
                by=trainer,
                now=now,
            )


def _recertify(plan: Plan, cycle: Cycle) -> None:
    due = timezone.localdate(cycle.opens) + datetime.timedelta(days=30)
    services.assign_people(
        module=plan.module,
        people=[plan.person],
        due_date=due,
        reason="recertification",
        now=cycle.opens,
    )


def _refresher(module, person, now, trainer) -> None:
    due = timezone.localdate(now) + datetime.timedelta(days=12)
    services.assign_people(
        module=module, people=[person], due_date=due, reason="manual", by=trainer, now=now
    )


def _take(plan: Plan, cycle: Cycle, last: bool, history: History) -> None:
    """The person takes the quiz (failing it first, now and then) and acknowledges the
    standards it covers; for someone not compliant, the last cycle goes wrong."""
    rng, person, module = history.rng, plan.person, plan.module
    failure = plan.failure if last else ""
    if failure == "skip":
        return
    assignment = Assignment.objects.filter(user=person, module=module, status="open").first()
    if assignment is None:
        return
    when = cycle.act
    misses = module.max_attempts if failure == "fail" else int(rng.random() < 0.12)
    for _miss in range(misses):
        attempt, _created = services.attempt_start(assignment=assignment, by=person, now=when)
        services.attempt_submit(
            attempt=attempt,
            by=person,
            answers=_answers(attempt, right=False),
            now=when + datetime.timedelta(minutes=rng.randint(4, 15)),
        )
        when = history.later(when, 0, 3)
    if failure == "fail":
        return
    attempt, _created = services.attempt_start(assignment=assignment, by=person, now=when)
    services.attempt_submit(
        attempt=attempt,
        by=person,
        answers=_answers(attempt, right=True),
        now=when + datetime.timedelta(minutes=rng.randint(4, 15)),
    )
    acknowledged = when + datetime.timedelta(minutes=20)
    for standard in plan.standards:
        if standard == plan.unacknowledged:
            continue
        current = history.current(standard, acknowledged)
        if current is not None:
            services.acknowledge(
                user=person,
                standard=standard,
                version_number=current,
                language=person.language,
                now=acknowledged,
            )
