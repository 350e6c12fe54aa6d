from django.urls import path

from feedback.analytics.pages.analyses import ANALYSES, analysis_page
from feedback.analytics.pages.dashboard import dashboard, dashboard_card, dashboard_part

app_name = "analytics"

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("dashboard/<slug:slug>/", dashboard_part, name="dashboard-part"),
    path("dashboard/<slug:kind>/<int:pk>/", dashboard_card, name="dashboard-card"),
    *(path(f"{slug}/", analysis_page, {"slug": slug}, name=slug) for slug in ANALYSES),
]
