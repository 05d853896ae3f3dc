from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("kich-hoat/", views.activate_code, name="activate_code"),
    path("kich-hoat/<uidb64>/<token>/", views.ActivateView.as_view(), name="activate"),
    path("dat-mat-khau/", views.FirstPasswordView.as_view(), name="first_password"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "dat-lai/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai/xong/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
