from django.urls import path

from feedback.analytics.pages.analyses import ANALYSES, analysis_page
from feedback.analytics.pages.dashboard import dashboard

app_name = "analytics"

urlpatterns = [
    path("", dashboard, name="dashboard"),
    *(path(f"{slug}/", analysis_page, {"slug": slug}, name=slug) for slug in ANALYSES),
]
