from django.urls import path
from rest_framework.routers import DefaultRouter

from portal.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("users", views.UserViewSet, basename="user")
router.register("regions", views.RegionViewSet, basename="region")
router.register("locations", views.LocationViewSet, basename="location")
router.register("teams", views.TeamViewSet, basename="team")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("channels", views.ChannelViewSet, basename="channel")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    *router.urls,
]
