"""Insight entries in the main navigation and panels on the home page."""

from django.utils.translation import gettext_lazy as _

from feedback.selectors import my_insights, triage_queue, you_said_we_did
from portal import homepage
from portal.models import Role
from portal.navigation import NavItem, register

register(NavItem(_("Report a pain point"), "feedback:insight-create", order=10))
register(NavItem(_("My insights"), "feedback:my-insights", order=20))
register(NavItem(_("All insights"), "feedback:insight-list", order=30))
register(NavItem(_("Triage"), "feedback:triage", roles=(Role.MANAGER, Role.ADMIN), order=40))
register(
    NavItem(_("Customer surveys"), "survey:responses", roles=(Role.MANAGER, Role.ADMIN), order=50)
)
register(NavItem(_("Survey imports"), "survey:imports", roles=(Role.MANAGER, Role.ADMIN), order=55))
register(NavItem(_("Analytics"), "analytics:dashboard", roles=(Role.MANAGER, Role.ADMIN), order=45))


@homepage.register
def frontline_panel(request):
    user = request.user
    mine = my_insights(user).with_related().with_counts().order_by("-created_at", "-id")[:5]
    return homepage.Panel(
        template="feedback/_home_frontline.html",
        context={"mine": mine, "feed": you_said_we_did(user, limit=5)},
        order=10,
    )


@homepage.register
def manager_panel(request):
    user = request.user
    if not user.is_manager:
        return None
    queue = triage_queue(user)
    return homepage.Panel(
        template="feedback/_home_manager.html",
        context={
            "new_count": queue.filter(status="new").count(),
            "overdue_count": queue.overdue().count(),
        },
        order=5,
    )
