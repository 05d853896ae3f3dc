"""The emails about a person's own account, composed when the outbox sender sends them:
the one-time link (activation, password reset) is made then, from the account as it is,
so no working link is ever stored, and an account activated in between gets no link."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Profile
from notifications.emails import EmailNotOwed
from notifications.models import Notice

K = Notice.Kind


def awaiting_activation(user) -> bool:
    """Not activated yet: no password of its own (or one someone else chose)."""
    if not user.is_active:
        return False
    profile = Profile.objects.filter(user=user).first()
    return not user.has_usable_password() or bool(profile and profile.must_set_password)


def _message(*, notice: Notice, template: str, context: dict) -> EmailMultiAlternatives:
    subject = render_to_string(f"accounts/{template}_subject.txt", context)
    body = render_to_string(f"accounts/{template}_email.txt", context)
    return EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.email_to],
    )


def account_email(notice: Notice) -> EmailMultiAlternatives:
    """The activation or reset email of `notice`, with a fresh one-time link."""
    from accounts.services.activation import activation_link, base_url

    user = notice.person
    if notice.kind == K.ACTIVATION:
        if not awaiting_activation(user):
            raise EmailNotOwed(
                "Không gửi: tài khoản đã được kích hoạt (hoặc bị khoá) trước khi thư đi."
            )
        context = {
            "user": user,
            "link": activation_link(user),
            "base_url": base_url(),
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        }
        return _message(notice=notice, template="activation", context=context)
    if notice.kind == K.PASSWORD_RESET:
        if not user.is_active:
            raise EmailNotOwed("Không gửi: tài khoản đã bị khoá trước khi thư đi.")
        context = {
            "user": user,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "base_url": base_url(),
        }
        return _message(notice=notice, template="password_reset", context=context)
    raise EmailNotOwed(
        f"Không gửi: loại thư «{notice.get_kind_display()}» không phải thư tài khoản."
    )
