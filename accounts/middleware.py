"""A new account signed in with a password it did not choose (set by Sở Nội vụ) goes to
"Đặt mật khẩu" before any other page."""

from django.shortcuts import redirect

from accounts.services.activation import must_set_password

# Pages such a person may still reach: the password pages themselves and signing out.
OPEN_VIEWS = {
    "accounts:first_password",
    "accounts:activate",
    "accounts:activate_code",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "logout",
}


CHOSEN = "accounts_password_chosen"


class FirstPasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        # Once a session's owner has chosen a password, it is not asked again.
        if request.session.get(CHOSEN):
            return None
        if must_set_password(user):
            return redirect("accounts:first_password")
        request.session[CHOSEN] = True
        return None
