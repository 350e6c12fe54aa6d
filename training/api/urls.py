from django.urls import path
from rest_framework.routers import DefaultRouter

from training.api import records, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("standards", views.StandardViewSet, basename="standard")
router.register(
    r"standards/(?P<standard_code>[^/\x00]+)/versions",
    views.VersionViewSet,
    basename="standard-version",
)
router.register("modules", views.ModuleViewSet, basename="module")
router.register("assignments", records.AssignmentViewSet, basename="assignment")
router.register("assignment-rules", records.RuleViewSet, basename="assignment-rule")
router.register("attempts", records.AttemptViewSet, basename="attempt")
router.register("acknowledgements", records.AcknowledgementViewSet, basename="acknowledgement")

urlpatterns = [
    path("compliance/", records.ComplianceView.as_view(), name="api-compliance"),
    path("compliance/evidence/", records.EvidenceView.as_view(), name="api-compliance-evidence"),
    *router.urls,
]
