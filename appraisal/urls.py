from django.urls import path

from appraisal.views import appraisals, corrections, council, explanations, files

app_name = "appraisal"

urlpatterns = [
    path("", appraisals.queue_home, name="queue"),
    path("<int:year>/", appraisals.queue, name="queue_year"),
    path("<int:year>/phan-cong/", appraisals.assignments, name="assignments"),
    path(
        "<int:year>/don-vi/<str:unit>/linh-vuc/<str:area>/",
        appraisals.unit_area,
        name="unit_area",
    ),
    path(
        "<int:year>/don-vi/<str:unit>/tieu-chi/<str:criterion>/",
        appraisals.leaf,
        name="leaf",
    ),
    path(
        "<int:year>/don-vi/<str:unit>/tieu-chi/<str:criterion>/khong-ap-dung/",
        appraisals.leaf_not_applicable,
        name="leaf_not_applicable",
    ),
    path("tep/<int:pk>/", files.evidence_file, name="evidence_file"),
    path("giai-trinh/", explanations.explanations_home, name="explanations_home"),
    path("giai-trinh/<int:year>/", explanations.explanations, name="explanations"),
    path(
        "giai-trinh/<int:year>/<str:unit>/<str:criterion>/",
        explanations.explanation,
        name="explanation",
    ),
    path("hoi-dong/", council.council_home, name="council"),
    path("hoi-dong/<int:year>/", council.council, name="council_year"),
    path("hoi-dong/<int:year>/tinh-lai/", council.compute, name="compute"),
    path("hoi-dong/<int:year>/cong-bo/", council.publish, name="publish"),
    path("hoi-dong/<int:year>/cong-bo/ghi-nhan/", council.survey_gap, name="survey_gap"),
    path("hoi-dong/<int:year>/dinh-chinh/", corrections.correction, name="correction"),
    path(
        "hoi-dong/<int:year>/dinh-chinh/mo/", corrections.correction_start, name="correction_open"
    ),
    path(
        "hoi-dong/<int:year>/dinh-chinh/diem/",
        corrections.correction_score,
        name="correction_score",
    ),
    path(
        "hoi-dong/<int:year>/dinh-chinh/huy/", corrections.correction_stop, name="correction_cancel"
    ),
    path("tac-vu/<int:pk>/", council.job_progress, name="job"),
]
