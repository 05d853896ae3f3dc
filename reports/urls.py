from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:year>/", views.documents, name="documents"),
    path("<int:year>/bieu/<str:code>.pdf", views.annex, name="annex"),
    path("<int:year>/summary.xlsx", views.summary, name="summary"),
    path("<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:year>/report.docx", views.report_docx, name="report_docx"),
    path("<int:year>/tron-bo.zip", views.bundle, name="bundle"),
    path("<int:year>/ket-xuat/", views.render_all, name="render"),
    path("tac-vu/<int:job_id>/", views.job_status, name="job"),
]
