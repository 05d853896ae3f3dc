from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notices, name="notices"),
    path("<int:pk>/mo/", views.notice_open_view, name="open"),
    path("da-doc/", views.notices_read_all_view, name="read_all"),
    path("thu-di/", views.outbox, name="outbox"),
]
