from rest_framework.routers import DefaultRouter

from feedback.analytics.api.urls import urlpatterns as analytics_urls
from feedback.api import views
from feedback.survey import api_views as survey

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("insights", views.InsightViewSet, basename="insight")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("survey-responses", survey.SurveyResponseViewSet, basename="survey-response")
router.register("survey-imports", survey.SurveyImportViewSet, basename="survey-import")

urlpatterns = router.urls + analytics_urls
