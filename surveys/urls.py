from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.dashboard, name="dashboard"),
    path("<int:year>/kiem-dem/<str:block>/", views.tallies, name="tallies"),
    path("<int:year>/nhap-phieu/", views.upload_new, name="upload_new"),
    path("tep/<int:pk>/", views.upload_detail, name="upload"),
    path("tep/<int:pk>/tien-do/", views.upload_progress, name="upload_progress"),
    path("tep/<int:pk>/xac-nhan/", views.upload_confirm, name="upload_confirm"),
    path("tep/<int:pk>/huy/", views.upload_cancel, name="upload_cancel"),
]

urlpatterns += [
    path("<int:year>/bang-hoi/", views.questionnaire, name="questionnaire"),
    path("<int:year>/bang-hoi/nhom/", views.groups_edit, name="groups_edit"),
    path("<int:year>/bang-hoi/ke-hoach/", views.plan_edit, name="plan_edit"),
    path("<int:year>/bang-hoi/thang-do/moi/", views.scale_edit, name="scale_new"),
    path("<int:year>/bang-hoi/thang-do/<int:pk>/", views.scale_edit, name="scale_edit"),
    path("<int:year>/bang-hoi/cau-hoi/<int:criterion>/", views.question_edit, name="question_edit"),
    path(
        "<int:year>/phieu-trang/<str:block>/<str:group>.pdf",
        views.blank_ballot,
        name="blank_ballot",
    ),
]
