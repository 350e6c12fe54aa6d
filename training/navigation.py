"""Training entries in the main navigation, and "My training" on the home page."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import homepage
from portal.models import Role
from portal.navigation import NavItem, register
from training.compliance import person_standards
from training.selectors import my_open_assignments

register(NavItem(_("My training"), "training:my-training", order=25))
register(NavItem(_("Standards"), "training:standard-list", order=50))
register(NavItem(_("Modules"), "training:module-list", roles=(Role.TRAINER, Role.ADMIN), order=55))
register(
    NavItem(
        _("Compliance"),
        "training:compliance",
        roles=(Role.TRAINER, Role.MANAGER, Role.ADMIN),
        order=60,
    )
)

PANEL_ITEMS = 5


@homepage.register
def my_training_panel(request):
    """Training still to do (overdue first, by due date) and standards to acknowledge."""
    today = timezone.localdate()
    assignments = list(my_open_assignments(request.user)[: PANEL_ITEMS + 1])
    to_acknowledge = [
        item for item in person_standards(request.user, today) if item.acknowledgement_required
    ]
    if not assignments and not to_acknowledge:
        return None
    return homepage.Panel(
        template="training/_home_panel.html",
        context={
            "assignments": assignments[:PANEL_ITEMS],
            "more": len(assignments) > PANEL_ITEMS,
            "to_acknowledge": to_acknowledge,
            "today": today,
        },
        order=15,
    )
