"""A new account is activated by its owner setting a password: through a one-time link sent
by email, or, for an office without email, a one-time code printed by Sở Nội vụ and typed
on the activation page. Either way the link's token comes from accounts.tokens, and setting
the password ends it (and ends the must-set-password flag)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Profile
from accounts.tokens import activation_token
from kernel.audit import audit_record
from notifications.models import Notice
from notifications.services import account_notice_queue

# No 0/O, 1/I/L: the code is read off paper and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
CODE_VALID_DAYS = 14


def base_url() -> str:
    """Links in emails point at the configured address, never at the request's Host."""
    return getattr(settings, "PARINDEX_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def activation_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:activate", args=[uid, activation_token.make_token(user)])


def activation_link(user) -> str:
    return base_url() + activation_path(user)


def _profile(user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def activation_send(*, user, by, send_soon: bool = True) -> None:
    """Put the account's activation email in the outbox; the outbox sender sends it with
    a fresh one-time link once this transaction commits (never inside the request)."""
    if not user.email:
        raise ValidationError(
            f"Tài khoản «{user.username}» không có email: in mã kích hoạt cho đơn vị."
        )
    if user.has_usable_password() and not _profile(user).must_set_password:
        raise ValidationError(f"Tài khoản «{user.username}» đã kích hoạt.")
    profile = _profile(user)
    profile.activation_sent_at = timezone.now()
    profile.save(update_fields=["activation_sent_at"])
    audit_record(
        actor=by,
        action="activation_send",
        obj=user,
        changes={"email": (None, user.email)},
        note=f"tài khoản: {user.username}",
    )
    by_whom = f" theo yêu cầu của {by.get_username()}" if by is not None else ""
    account_notice_queue(
        user=user,
        kind=Notice.Kind.ACTIVATION,
        words=f"Liên kết kích hoạt tài khoản «{user.get_username()}»{by_whom}.",
        send_soon=send_soon,
    )


def reset_send(*, user) -> None:
    """Put a password reset email in the outbox (its link is made when it is sent)."""
    account_notice_queue(
        user=user,
        kind=Notice.Kind.PASSWORD_RESET,
        words=f"Liên kết đặt lại mật khẩu tài khoản «{user.get_username()}», do người dùng yêu cầu.",
    )


def _code_hash(user, code: str) -> str:
    return salted_hmac("accounts.activation-code", f"{user.pk}:{code}").hexdigest()


def activation_codes_issue(*, users, by) -> list[tuple]:
    """A new one-time code for each account not yet activated (an earlier code stops
    working); returns (user, code) pairs to print. Only the codes' hashes are kept."""
    issued = []
    expires = timezone.now() + timedelta(days=CODE_VALID_DAYS)
    with transaction.atomic():
        for user in users:
            profile = _profile(user)
            if user.has_usable_password() and not profile.must_set_password:
                continue
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            profile.activation_code_hash = _code_hash(user, code)
            profile.activation_code_expires = expires
            profile.save(update_fields=["activation_code_hash", "activation_code_expires"])
            audit_record(
                actor=by,
                action="activation_code_issue",
                obj=user,
                note=f"tài khoản: {user.username}",
            )
            issued.append((user, code))
    return issued


def code_display(code: str) -> str:
    """ABCDE-FGHJK: easier to copy by hand."""
    return f"{code[:5]}-{code[5:]}"


def activation_code_redeem(*, username: str, code: str):
    """The account whose one-time code this is, with the code spent; None when the pair
    does not match (the same answer whatever was wrong)."""
    from django.contrib.auth import get_user_model

    code = "".join(ch for ch in code.upper() if ch.isalnum())
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        return None
    with transaction.atomic():
        profile = Profile.objects.select_for_update().filter(user=user).first()
        if (
            profile is None
            or not profile.activation_code_hash
            or profile.activation_code_expires is None
            or profile.activation_code_expires < timezone.now()
            or not constant_time_compare(profile.activation_code_hash, _code_hash(user, code))
        ):
            return None
        profile.activation_code_hash = ""
        profile.activation_code_expires = None
        profile.save(update_fields=["activation_code_hash", "activation_code_expires"])
    return user


def password_set_done(*, user, how: str) -> None:
    """The owner set their password: the account is active, any printed code is void."""
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "must_set_password": False,
            "activation_code_hash": "",
            "activation_code_expires": None,
        },
    )
    audit_record(actor=user, action="password_set", obj=user, note=how)


def must_set_password(user) -> bool:
    return Profile.objects.filter(user=user, must_set_password=True).exists()


def reset_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)]
    )
    return base_url() + path
