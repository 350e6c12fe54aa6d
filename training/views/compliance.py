"""Compliance pages: the heatmap (teams or locations × standards) and the people behind
each cell. Trainers see everyone; managers the people at the locations in their scope."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from training.compliance import STATUS_LABELS, STATUSES, Row, compliance_as_of, matrix
from training.forms import ComplianceFilterForm, PeopleFilterForm
from training.selectors import can_see_compliance, people_in_compliance_scope

# Five steps of a colour-blind-safe sequential scale (viridis), darkest for the lowest
# share; every cell also prints its share and counts, so colour is never the only cue.
HEAT_STEPS = 5
STATUS_SYMBOLS = {"compliant": "✓", "due": "◷", "overdue": "!", "expired": "↻", "not_assigned": "–"}


def _required(request) -> None:
    if not can_see_compliance(request.user):
        raise PermissionDenied


def _heat(row: Row) -> int:
    return min(HEAT_STEPS - 1, int(row.share * HEAT_STEPS))


@login_required
def heatmap(request):
    _required(request)
    form = ComplianceFilterForm(request.GET or None, initial={"as_of": timezone.localdate()})
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    by = data.get("rows") or "team"
    as_of = data.get("as_of") or timezone.localdate()
    compliance = compliance_as_of(as_of=as_of, people=people_in_compliance_scope(request.user))
    standards = sorted(compliance.standards.values(), key=lambda s: s.code)
    table = []
    for (key, label), by_standard in sorted(
        matrix(compliance, by).items(), key=lambda item: (item[0][0] is None, str(item[0][1]))
    ):
        cells = []
        for state in standards:
            row = by_standard.get(state.id)
            cells.append((state, row, _heat(row) if row else None))
        table.append((key, label, cells))
    return render(
        request,
        "training/compliance.html",
        {
            "form": form,
            "by": by,
            "as_of": as_of,
            "standards": standards,
            "table": table,
            "steps": range(HEAT_STEPS),
        },
        status=200 if valid else 400,
    )


@login_required
def people(request):
    """Per person in scope, their status with each standard covering them."""
    _required(request)
    form = PeopleFilterForm(request.GET or None, initial={"as_of": timezone.localdate()})
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    as_of = data.get("as_of") or timezone.localdate()
    scope = people_in_compliance_scope(request.user)
    if data.get("team"):
        scope = scope.filter(team=data["team"])
    if data.get("location"):
        scope = scope.filter(team__location=data["location"])
    if data.get("q"):
        scope = scope.filter(
            Q(username__icontains=data["q"]) | Q(display_name__icontains=data["q"])
        )
    standard = data.get("standard")
    compliance = compliance_as_of(
        as_of=as_of, people=scope, standards=[standard] if standard else None
    )
    standards = sorted(compliance.standards.values(), key=lambda s: s.code)
    cells: dict[int, dict[int, str]] = {}
    for (person_id, std_id), status in compliance.cells.items():
        cells.setdefault(person_id, {})[std_id] = status
    rows = []
    for person_id, statuses in cells.items():
        person = compliance.people[person_id]
        marks = [
            (state, statuses.get(state.id), STATUS_SYMBOLS.get(statuses.get(state.id), ""))
            for state in standards
        ]
        rows.append((person, marks, all(s == "compliant" for s in statuses.values())))
    rows.sort(key=lambda row: (row[2], (row[0].display_name or row[0].username).casefold()))
    totals = dict.fromkeys(STATUSES, 0)
    for status in compliance.cells.values():
        totals[status] += 1
    return render(
        request,
        "training/compliance_people.html",
        {
            "form": form,
            "as_of": as_of,
            "standards": standards,
            "rows": rows,
            "totals": [(s, STATUS_LABELS[s], totals[s], STATUS_SYMBOLS[s]) for s in STATUSES],
            "legend": [(s, STATUS_LABELS[s], STATUS_SYMBOLS[s]) for s in STATUSES],
        },
        status=200 if valid else 400,
    )
