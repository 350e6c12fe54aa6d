from django.urls import path

from feedback.survey import views

app_name = "survey"

urlpatterns = [
    path("", views.responses, name="responses"),
    path("export/", views.responses_export, name="export"),
    path("imports/", views.imports, name="imports"),
    path("imports/new/", views.import_new, name="import-new"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import-errors"),
]
