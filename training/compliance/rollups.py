"""Compliance rolled up by person, team, location, channel or standard."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.models import Channel, Location, Team
from training.compliance.core import STATUSES, Compliance


# --- roll-ups -------------------------------------------------------------------------------
@dataclass
class Row:
    key: str | None
    label: str
    compliant: int = 0
    due: int = 0
    overdue: int = 0
    expired: int = 0
    not_assigned: int = 0

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    @property
    def total(self) -> int:
        return self.compliant + self.due + self.overdue + self.expired + self.not_assigned

    @property
    def share(self) -> float:
        return round(self.compliant / self.total, 4) if self.total else 0.0

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            **{status: getattr(self, status) for status in STATUSES},
            "total": self.total,
            "share": self.share,
        }


def _group_keys(compliance: Compliance, by: str) -> tuple:
    """``(keys_of(person, state) -> list of group ids, labels: {group id: (key, label)})``."""
    people, standards = compliance.people, compliance.standards
    if by == "person":
        labels = {p.id: (p.username, p.display_name or p.username) for p in people.values()}
        return (lambda person, state: [person.id]), labels
    if by == "standard":
        labels = {s.id: (s.code, s.title) for s in standards.values()}
        return (lambda person, state: [state.id]), labels
    if by == "team":
        ids = {p.team_id for p in people.values()} - {None}
        labels = {t.pk: (t.code, t.name) for t in Team.objects.filter(pk__in=ids)}
        labels[None] = (None, str(_("No team")))
        return (lambda person, state: [person.team_id]), labels
    if by == "location":
        ids = {p.location_id for p in people.values()} - {None}
        labels = {x.pk: (x.code, x.name) for x in Location.objects.filter(pk__in=ids)}
        labels[None] = (None, str(_("No location")))
        return (lambda person, state: [person.location_id]), labels
    if by == "channel":
        labels = {c.pk: (c.code, c.name) for c in Channel.objects.all()}

        def channels(person, state):
            served = person.channel_ids
            return sorted(served if not state.channel_ids else served & state.channel_ids)

        return channels, labels
    raise ValueError(f"unknown roll-up {by!r}")


def rollup(compliance: Compliance, by: str, *, standard_id: int | None = None) -> list[Row]:
    """Counts per ``by`` (person, team, location, channel or standard). A person counts
    in a channel's row for the standards that apply to that channel."""
    keys_of, labels = _group_keys(compliance, by)
    rows: dict = {}
    for (person_id, std_id), status in compliance.cells.items():
        if standard_id is not None and std_id != standard_id:
            continue
        person, state = compliance.people[person_id], compliance.standards[std_id]
        for group in keys_of(person, state):
            if group not in rows:
                rows[group] = Row(*labels.get(group, (str(group), str(group))))
            rows[group].add(status)
    return sorted(rows.values(), key=lambda row: (row.key is None, str(row.label).casefold()))


def matrix(compliance: Compliance, by: str) -> dict:
    """Rows of ``by`` (team or location) × standards: ``{row key: (label, {std id: Row})}``."""
    keys_of, labels = _group_keys(compliance, by)
    cells: dict = {}
    for (person_id, std_id), status in compliance.cells.items():
        person = compliance.people[person_id]
        for group in keys_of(person, compliance.standards[std_id]):
            row = cells.setdefault(group, {})
            if std_id not in row:
                row[std_id] = Row(*labels.get(group, (str(group), str(group))))
            row[std_id].add(status)
    return {labels[g]: by_std for g, by_std in cells.items()}
