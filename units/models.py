from django.conf import settings
from django.db import models


class Block(models.Model):
    """A group of units ranked separately (A: sở, ban, ngành; B: UBND cấp huyện; C: cấp xã)."""

    code = models.CharField("mã khối", max_length=8, unique=True)
    name = models.CharField("tên khối", max_length=200)

    class Meta:
        verbose_name = "khối"
        verbose_name_plural = "khối"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Unit(models.Model):
    """An assessed unit, identified across years by its code (A1…, B1…).

    Name and head are the latest known; what a given year assessed is kept on that
    year's criteria.Participation.
    """

    code = models.CharField("mã đơn vị", max_length=16, unique=True)
    name = models.CharField("tên đơn vị", max_length=200)
    block = models.ForeignKey(Block, on_delete=models.PROTECT, verbose_name="khối")
    head_title = models.CharField("chức danh người đứng đầu", max_length=200, blank=True)
    head_name = models.CharField("họ tên người đứng đầu", max_length=200, blank=True)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["block__code", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Membership(models.Model):
    """What a person does in the system, and for which unit."""

    class Role(models.TextChoices):
        UNIT_OFFICER = "unit_officer", "Cán bộ đầu mối CCHC của đơn vị"
        UNIT_HEAD = "unit_head", "Thủ trưởng đơn vị"
        APPRAISER = "appraiser", "Thành viên Tổ thư ký (thẩm định)"
        SECRETARIAT_LEAD = "secretariat_lead", "Tổ trưởng Tổ thư ký"
        HOME_AFFAIRS = "home_affairs", "Cán bộ Sở Nội vụ"
        COUNCIL = "council", "Thành viên Hội đồng"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="người dùng",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="đơn vị công tác",
        help_text="Đơn vị của cán bộ; với thành viên Tổ thư ký là cơ quan cử người "
        "(không được thẩm định đơn vị mình).",
    )

    class Meta:
        verbose_name = "vai trò người dùng"
        verbose_name_plural = "vai trò người dùng"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}" + (
            f" ({self.unit.code})" if self.unit else ""
        )
