from django.urls import path

from . import views_appraisal, views_council, views_explanation

app_name = "appraisal"

urlpatterns = [
    path("", views_appraisal.queue_home, name="queue"),
    path("<int:year>/", views_appraisal.queue, name="queue_year"),
    path("<int:year>/phan-cong/", views_appraisal.assignments, name="assignments"),
    path(
        "<int:year>/don-vi/<str:unit>/linh-vuc/<str:area>/",
        views_appraisal.unit_area,
        name="unit_area",
    ),
    path(
        "<int:year>/don-vi/<str:unit>/tieu-chi/<str:criterion>/",
        views_appraisal.leaf,
        name="leaf",
    ),
    path(
        "<int:year>/don-vi/<str:unit>/tieu-chi/<str:criterion>/khong-ap-dung/",
        views_appraisal.leaf_not_applicable,
        name="leaf_not_applicable",
    ),
    path("tep/<int:pk>/", views_appraisal.evidence_file, name="evidence_file"),
    path("giai-trinh/", views_explanation.explanations_home, name="explanations_home"),
    path("giai-trinh/<int:year>/", views_explanation.explanations, name="explanations"),
    path(
        "giai-trinh/<int:year>/<str:unit>/<str:criterion>/",
        views_explanation.explanation,
        name="explanation",
    ),
    path("hoi-dong/", views_council.council_home, name="council"),
    path("hoi-dong/<int:year>/", views_council.council, name="council_year"),
    path("hoi-dong/<int:year>/tinh-lai/", views_council.compute, name="compute"),
    path("hoi-dong/<int:year>/cong-bo/", views_council.publish, name="publish"),
    path("tac-vu/<int:pk>/", views_council.job_progress, name="job"),
]
