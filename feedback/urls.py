from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.insight_list, name="insight-list"),
    path("new/", views.insight_create, name="insight-create"),
    path("mine/", views.my_list, name="my-insights"),
    path("similar/", views.similar, name="similar"),
    path("triage/", views.triage, name="triage"),
    path("triage/bulk/", views.triage_bulk, name="triage-bulk"),
    path("export.csv", views.export_csv, name="export"),
    path("<int:pk>/", views.insight_detail, name="insight-detail"),
    path("<int:pk>/edit/", views.insight_edit, name="insight-edit"),
    path("<int:pk>/comment/", views.insight_comment, name="insight-comment"),
    path("<int:pk>/transition/", views.insight_transition, name="insight-transition"),
    path("<int:pk>/assign/", views.insight_assign, name="insight-assign"),
    path("<int:pk>/endorse/", views.insight_endorse, name="insight-endorse"),
    path("<int:pk>/follow/", views.insight_follow, name="insight-follow"),
    path("<int:pk>/photo/", views.insight_photo, name="insight-photo"),
]
