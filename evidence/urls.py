"""The unit's self-assessment pages. `evidence:download` (`tep/<pk>/`) is added to this
namespace by parindex/urls.py: its view is appraisal's, which evidence may not import."""

from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.home, name="home"),
    path("tieu-chi/<int:criterion_id>/", views.leaf, name="leaf"),
    path("tieu-chi/<int:criterion_id>/luu/", views.leaf_save, name="leaf_save"),
    path("tieu-chi/<int:criterion_id>/tai-len/", views.upload, name="upload"),
    path("tieu-chi/<int:criterion_id>/dung-lai/", views.link, name="link"),
    path("tieu-chi/<int:criterion_id>/tep/<int:file_id>/go/", views.unlink, name="unlink"),
    path("tieu-chi/<int:criterion_id>/tep/<int:file_id>/thay-the/", views.replace, name="replace"),
    path("tieu-chi/<int:criterion_id>/khong-ap-dung/", views.not_applicable, name="not_applicable"),
    path("tieu-chi/<int:criterion_id>/giao/", views.delegate, name="delegate"),
    path("gui/", views.submit, name="submit"),
    path("rut-lai/", views.withdraw, name="withdraw"),
]
