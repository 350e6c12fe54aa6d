"""Compliance with the service standards, as of a date. Every page, API answer, export
and analysis of compliance comes from :func:`compliance_as_of`.

A person is covered by a standard when their team serves one of its channels, or
always when it lists none. As of a date ``D`` (versions effective and published by
then, attempts, acknowledgements and assignments made by the end of ``D``):

* the standard's *current* version is its highest-numbered version in force, its
  *last major* version the highest-numbered major one (the first if none is major);
* **compliant**: a pass, since the last major version was published, of a module that
  covered the standard (as the attempt recorded it), not expired on ``D``, and an
  acknowledgement of the last major version or a later one;
* otherwise **expired** when such passes exist but all have expired;
* otherwise **due** / **overdue** by the latest due date of the person's assignments
  that still count: those open on ``D`` (or closed with no attempts left) of a module
  covering the standard, and those whose pass since the last major version covered it
  (the acknowledgement is what is missing); due on or after ``D`` is ``due``;
* otherwise **not_assigned**.

Staff are the active people with the frontline role who had joined by ``D``. A
standard with no version in force on ``D`` covers nobody. The computation runs a fixed
number of queries, whatever the number of people and standards.
"""

from training.compliance.core import (
    COMPLIANT,
    DUE,
    EXPIRED,
    NOT_ASSIGNED,
    OVERDUE,
    ROLLUPS,
    STATUS_LABELS,
    STATUSES,
    Compliance,
    Person,
    StandardState,
    compliance_as_of,
)
from training.compliance.people import (
    PersonStandard,
    TeamCompliance,
    person_standards,
    team_compliance,
)
from training.compliance.rollups import Row, matrix, rollup

__all__ = [
    "COMPLIANT",
    "DUE",
    "EXPIRED",
    "NOT_ASSIGNED",
    "OVERDUE",
    "ROLLUPS",
    "STATUSES",
    "STATUS_LABELS",
    "Compliance",
    "Person",
    "PersonStandard",
    "Row",
    "StandardState",
    "TeamCompliance",
    "compliance_as_of",
    "matrix",
    "person_standards",
    "rollup",
    "team_compliance",
]
