from django.conf import settings
from django.db import models


class UnitKind(models.TextChoices):
    """What a unit is (INTERFACES §2 `kind`); the head's title follows it (DOMAIN §8)."""

    SO = "so", "Sở, ban, ngành"
    HUYEN = "huyen", "Huyện, thị xã, thành phố"
    XA = "xa", "Xã"
    PHUONG = "phuong", "Phường"
    DAC_KHU = "dac_khu", "Đặc khu"


HEAD_TITLES = {
    UnitKind.SO: "Giám đốc",
    UnitKind.HUYEN: "Chủ tịch UBND huyện",
    UnitKind.XA: "Chủ tịch UBND xã",
    UnitKind.PHUONG: "Chủ tịch UBND phường",
    UnitKind.DAC_KHU: "Chủ tịch UBND đặc khu",
}


class Block(models.Model):
    """A group of units ranked separately, of one or several kinds (DOMAIN §1, §8)."""

    code = models.CharField("mã khối", max_length=8, unique=True)
    name = models.CharField("tên khối", max_length=200)
    kind = models.CharField(
        "loại đơn vị mặc định", max_length=10, choices=UnitKind.choices, blank=True
    )

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
