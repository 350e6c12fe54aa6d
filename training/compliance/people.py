"""Compliance for one person, and per team for the analytics."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max

from portal.models import Role, User
from training.compliance.core import (
    COMPLIANT,
    StandardState,
    compliance_as_of,
    compliant_cells,
    ids_of,
)
from training.models import (
    Acknowledgement,
    Standard,
    day_end,
)


# --- one person -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PersonStandard:
    state: StandardState
    status: str
    acknowledged: int  # the highest version number acknowledged, 0 for none

    @property
    def needs_acknowledgement(self) -> bool:
        """The current version is not acknowledged yet."""
        return self.acknowledged < self.state.current

    @property
    def acknowledgement_required(self) -> bool:
        """Compliance needs it (the last major version, or a later one, is not)."""
        return self.acknowledged < self.state.major


def person_standards(user, as_of: datetime.date) -> list[PersonStandard]:
    """The standards covering ``user`` on ``as_of``: their status and what they
    acknowledged. Empty for anyone training is not for."""
    if not (user.is_authenticated and user.has_role(Role.FRONTLINE)):
        return []  # training is for the frontline staff
    compliance = compliance_as_of(as_of=as_of, people=User.objects.filter(pk=user.pk))
    statuses = compliance.statuses_of(user.pk)
    if not statuses:
        return []
    acks = dict(
        Acknowledgement.objects.filter(
            user=user, standard_id__in=list(statuses), acknowledged_at__lt=day_end(as_of)
        )
        .values("standard_id")
        .annotate(top=Max("version__number"))
        .values_list("standard_id", "top")
    )
    items = [
        PersonStandard(compliance.standards[pk], status, acks.get(pk, 0))
        for pk, status in statuses.items()
    ]
    return sorted(items, key=lambda item: (item.status == COMPLIANT, item.state.code))


# --- for the analytics ----------------------------------------------------------------------
@dataclass(frozen=True)
class TeamCompliance:
    members: int
    compliant: int
    share: float


def team_compliance(
    *, as_of: datetime.date, standard: Standard | None = None, teams=None
) -> dict[int, TeamCompliance]:
    """Per team id: its staff on ``as_of``, how many are compliant with every standard
    covering the team (or with ``standard`` if given), and that share (0–1).

    Teams that no standard in force covers (or that ``standard`` does not cover) and
    teams without staff are left out. ``teams``: team objects or ids to limit it to.
    """
    people = None
    if teams is not None:
        people = User.objects.filter(team__in=ids_of(teams))
    states, persons, compliant = compliant_cells(
        as_of=as_of, people=people, standards=None if standard is None else [standard]
    )
    covered: dict[int, dict[int, bool]] = defaultdict(dict)
    # The standards covering a person follow from their team's channels.
    covering_of: dict[frozenset, list[int]] = {}
    for person in persons.values():
        if person.team_id is None:
            continue
        covering = covering_of.get(person.channel_ids)
        if covering is None:
            covering = [state.id for state in states.values() if state.covers(person)]
            covering_of[person.channel_ids] = covering
        if covering:
            ok = all((person.id, standard_id) in compliant for standard_id in covering)
            covered[person.team_id][person.id] = ok
    result = {}
    for team_id, members in covered.items():
        compliant = sum(members.values())
        result[team_id] = TeamCompliance(
            members=len(members), compliant=compliant, share=compliant / len(members)
        )
    return result
