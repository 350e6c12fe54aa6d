from django.urls import path

from feedback.analytics.api import views

urlpatterns = [
    path("analytics/trends/", views.TrendsView.as_view(), name="analytics-trends"),
    path("analytics/movers/", views.MoversView.as_view(), name="analytics-movers"),
    path("analytics/consistency/", views.ConsistencyView.as_view(), name="analytics-consistency"),
    path(
        "analytics/insights/<int:pk>/evidence/",
        views.EvidenceView.as_view(),
        name="analytics-evidence",
    ),
    path(
        "analytics/insights/<int:pk>/impact/", views.ImpactView.as_view(), name="analytics-impact"
    ),
    path("analytics/training-vs-csat/", views.TrainingView.as_view(), name="analytics-training"),
    path("analytics/early-warnings/", views.WarningsView.as_view(), name="analytics-warnings"),
]
