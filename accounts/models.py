"""What the system keeps about a person beyond Django's user: how to reach them, the areas
an appraiser is delegated, and where their account stands in its activation."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name="người dùng",
    )
    phone = models.CharField("điện thoại", max_length=32, blank=True)
    areas = models.CharField(
        "lĩnh vực thẩm định",
        max_length=200,
        blank=True,
        help_text="Mã các lĩnh vực được giao thẩm định, cách nhau bởi dấu chấm phẩy (1; 3; 5).",
    )
    must_set_password = models.BooleanField(
        "phải tự đặt mật khẩu",
        default=False,
        help_text="Tài khoản mới: người dùng phải tự đặt mật khẩu ở lần đăng nhập đầu.",
    )
    activation_sent_at = models.DateTimeField("gửi thư kích hoạt lúc", null=True, blank=True)
    # A one-time code printed for an office without email: only its keyed hash is kept.
    activation_code_hash = models.CharField(max_length=128, blank=True, editable=False)
    activation_code_expires = models.DateTimeField(
        "mã kích hoạt hết hạn lúc", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "hồ sơ người dùng"
        verbose_name_plural = "hồ sơ người dùng"

    def __str__(self) -> str:
        return str(self.user)

    def area_codes(self) -> list[str]:
        return [code.strip() for code in self.areas.split(";") if code.strip()]


class Account(User):
    """The people of the year as Sở Nội vụ manages them in bulk (import, export,
    activation); the same rows as Django's users."""

    class Meta:
        proxy = True
        verbose_name = "tài khoản cán bộ"
        verbose_name_plural = "tài khoản cán bộ (nhập, xuất, kích hoạt)"


class ThrottleHit(models.Model):
    """One request counted against a limit (a password reset for an address, a code tried
    from an address): kept in the database so every gunicorn process sees the same count."""

    kind = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"], name="throttle_kind_key_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
