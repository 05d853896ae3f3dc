"""Activation, first password, reset and change: Django's own auth views with our
templates, tokens and throttles. A reset answers the same whether the email is known or not."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from accounts.forms import ActivationCodeForm
from accounts.services.activation import (
    activation_code_redeem,
    activation_path,
    base_url,
    password_set_done,
    reset_send,
)
from accounts.services.throttle import throttle_allow
from accounts.tokens import activation_token

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def client_address(request) -> str | None:
    return settings.AXES_CLIENT_IP_CALLABLE(request)


def too_many(request, message: str):
    return render(request, "accounts/too_many.html", {"message": message}, status=429)


class PeopleResetForm(PasswordResetForm):
    """Also accounts that have never set a password (awaiting activation): the reset link
    activates them. Inactive accounts get nothing, as in Django."""

    def get_users(self, email):
        from accounts.models import Profile

        users = super().get_users(email)
        waiting = Profile.objects.filter(
            must_set_password=True, user__is_active=True, user__email__iexact=email
        ).select_related("user")
        found = {user.pk: user for user in users}
        found |= {profile.user.pk: profile.user for profile in waiting}
        return iter(found.values())

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Not sent here: put in the outbox, sent by a job with a link made when it goes."""
        reset_send(user=context["user"])


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PeopleResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not throttle_allow(reset_email=email, reset_address=client_address(self.request)):
            return too_many(
                self.request,
                "Đã có nhiều yêu cầu đặt lại mật khẩu cho địa chỉ này. Hãy xem hộp thư, "
                "hoặc thử lại sau một giờ.",
            )
        # Links name the configured address, never the request's Host header.
        self.extra_email_context = {"base_url": base_url()}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class OwnerSetsPassword:
    """After the owner has chosen a password through a link: the account is activated."""

    how = ""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_set_done(user=form.user, how=self.how)
        return response


class PasswordResetConfirmView(OwnerSetsPassword, auth_views.PasswordResetConfirmView):
    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND
    how = "đặt lại mật khẩu qua thư"
    extra_context = {"title": "Đặt lại mật khẩu"}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ActivateView(OwnerSetsPassword, auth_views.PasswordResetConfirmView):
    """The one-time activation link: set one's own password, then in."""

    template_name = "accounts/set_password.html"
    token_generator = activation_token
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND
    how = "kích hoạt tài khoản"
    extra_context = {"title": "Kích hoạt tài khoản: đặt mật khẩu"}

    def get_success_url(self):
        messages.success(self.request, "Tài khoản đã kích hoạt. Chào mừng bạn đến với parindex.")
        return reverse(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def activate_code(request):
    """For an office without email: the username and the printed one-time code lead to
    the same password page as an activation link."""
    form = ActivationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle_allow(code_address=client_address(request)):
            return too_many(request, "Đã nhập sai mã nhiều lần. Hãy thử lại sau một giờ.")
        user = activation_code_redeem(
            username=form.cleaned_data["username"], code=form.cleaned_data["code"]
        )
        if user is not None:
            return redirect(activation_path(user))
        form.add_error(None, "Tên đăng nhập hoặc mã kích hoạt không đúng, hoặc mã đã hết hạn.")
    return render(request, "accounts/activate_code.html", {"form": form})


class FirstPasswordView(OwnerSetsPassword, auth_views.PasswordChangeView):
    """A new account signed in with a password someone else chose: it must choose its own."""

    form_class = SetPasswordForm
    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("home")
    how = "đặt mật khẩu ở lần đăng nhập đầu"
    extra_context = {"title": "Đặt mật khẩu", "first_login": True}

    def form_valid(self, form):
        messages.success(self.request, "Đã đặt mật khẩu mới.")
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
