from rest_framework.routers import DefaultRouter

from feedback.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("insights", views.InsightViewSet, basename="insight")
router.register("categories", views.CategoryViewSet, basename="category")

urlpatterns = router.urls
