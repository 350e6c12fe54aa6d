from django.urls import path

from training.views import compliance, learner, modules, standards

app_name = "training"

urlpatterns = [
    path("", learner.my_training, name="my-training"),
    path("assignments/<int:pk>/", learner.assignment, name="assignment"),
    path("assignments/<int:pk>/start/", learner.assignment_start, name="assignment-start"),
    path("attempts/<int:pk>/", learner.attempt, name="attempt"),
    path("attempts/<int:pk>/submit/", learner.attempt_submit, name="attempt-submit"),
    path("standards/", standards.standard_list, name="standard-list"),
    path("standards/new/", standards.standard_create, name="standard-create"),
    path("standards/<str:code>/", standards.standard_detail, name="standard-detail"),
    path("standards/<str:code>/edit/", standards.standard_edit, name="standard-edit"),
    path("standards/<str:code>/acknowledge/", learner.acknowledge, name="acknowledge"),
    path("standards/<str:code>/diff/", standards.version_diff, name="version-diff"),
    path("standards/<str:code>/versions/new/", standards.version_create, name="version-create"),
    path(
        "standards/<str:code>/versions/<int:number>/",
        standards.version_detail,
        name="version-detail",
    ),
    path(
        "standards/<str:code>/versions/<int:number>/publish/",
        standards.version_publish,
        name="version-publish",
    ),
    path("preview/", standards.preview, name="preview"),
    path("modules/", modules.module_list, name="module-list"),
    path("modules/new/", modules.module_create, name="module-create"),
    path("modules/<str:code>/", modules.module_detail, name="module-detail"),
    path("modules/<str:code>/edit/", modules.module_edit, name="module-edit"),
    path("modules/<str:code>/questions/new/", modules.question_create, name="question-create"),
    path("modules/<str:code>/questions/<int:pk>/", modules.question_edit, name="question-edit"),
    path(
        "modules/<str:code>/questions/<int:pk>/delete/",
        modules.question_delete,
        name="question-delete",
    ),
    path("assign/", modules.assign, name="assign"),
    path("rules/", modules.rules, name="rules"),
    path("rules/<int:pk>/delete/", modules.rule_delete, name="rule-delete"),
    path("compliance/", compliance.heatmap, name="compliance"),
    path("compliance/people/", compliance.people, name="compliance-people"),
]
