from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from units.models import Block, Unit, UnitKind

POINTS = {"max_digits": 8, "decimal_places": 3}


class Year(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        SELF_ASSESSMENT = "self_assessment", "Tự đánh giá"
        APPRAISAL = "appraisal", "Thẩm định"
        REVIEW = "review", "Hội đồng xem xét"
        PUBLISHED = "published", "Đã công bố"
        CORRECTION = "correction", "Đang đính chính"

    class Phase(models.TextChoices):
        """Where the year stands (DOMAIN §9), derived from its windows and publication."""

        DRAFT = "draft", "Chuẩn bị"
        SELF_ASSESSMENT = "self_assessment", "Tự đánh giá"
        APPRAISAL = "appraisal", "Thẩm định"
        EXPLANATION = "explanation", "Giải trình"
        REVIEW = "review", "Hội đồng xem xét"
        PUBLISHED = "published", "Đã công bố"
        CORRECTION = "correction", "Đang đính chính"

    # A year in correction stays published: its last published revision is what everyone
    # sees, and every door but the correction's own refuses it (DOMAIN §9).
    PUBLISHED_STATUSES = (Status.PUBLISHED, Status.CORRECTION)

    WINDOWS = (
        ("self_assessment", Phase.SELF_ASSESSMENT),
        ("appraisal", Phase.APPRAISAL),
        ("explanation", Phase.EXPLANATION),
    )

    year = models.PositiveSmallIntegerField("năm", unique=True)
    name = models.CharField("tên đợt đánh giá", max_length=300)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    self_assessment_opens = models.DateTimeField("mở tự đánh giá", null=True, blank=True)
    self_assessment_closes = models.DateTimeField("đóng tự đánh giá", null=True, blank=True)
    appraisal_opens = models.DateTimeField("mở thẩm định", null=True, blank=True)
    appraisal_closes = models.DateTimeField("đóng thẩm định", null=True, blank=True)
    explanation_opens = models.DateTimeField("mở giải trình", null=True, blank=True)
    explanation_closes = models.DateTimeField("đóng giải trình", null=True, blank=True)
    published_on = models.DateField("ngày công bố", null=True, blank=True)
    # The province or city the year belongs to (Hải Dương until 2022, Hải Phòng from 2025):
    # blank means settings.PARINDEX_PROVINCE.
    province = models.CharField("tỉnh, thành phố", max_length=100, blank=True)

    class Meta:
        verbose_name = "năm đánh giá"
        verbose_name_plural = "năm đánh giá"
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def is_published(self) -> bool:
        return self.status in self.PUBLISHED_STATUSES

    @property
    def correction_is_open(self) -> bool:
        return self.status == self.Status.CORRECTION

    def phase(self, at=None) -> "Year.Phase":
        """The one lifecycle (DOMAIN §9): published once the council published; otherwise
        the phase of the latest window that has opened, and the council's review once the
        last window has closed; before any window opens, preparation."""
        from django.utils import timezone

        if self.correction_is_open:
            return self.Phase.CORRECTION
        if self.is_published:
            return self.Phase.PUBLISHED
        at = at or timezone.now()
        windows = [
            (getattr(self, f"{name}_opens"), getattr(self, f"{name}_closes"), phase)
            for name, phase in self.WINDOWS
            if getattr(self, f"{name}_opens") is not None
        ]
        opened = [(opens, closes, phase) for opens, closes, phase in windows if opens <= at]
        if not opened:
            return self.Phase.DRAFT
        _opens, closes, phase = opened[-1]
        if len(opened) == len(windows) and closes is not None and at >= closes:
            return self.Phase.REVIEW
        return phase

    def phase_label(self, at=None) -> str:
        return self.Phase(self.phase(at)).label

    def window_is_open(self, window: str, at=None) -> bool:
        """`window` is `self_assessment`, `appraisal` or `explanation`; open means
        opens <= at < closes, to the minute (closes is exclusive: 24:00 of the last day)."""
        from django.utils import timezone

        at = at or timezone.now()
        opens = getattr(self, f"{window}_opens")
        closes = getattr(self, f"{window}_closes")
        return (
            not self.is_published
            and opens is not None
            and closes is not None
            and opens <= at < closes
        )


class Participation(models.Model):
    """A unit taking part in a year, as it was that year (block, name, head)."""

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="participations", verbose_name="năm"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="participations", verbose_name="đơn vị"
    )
    block = models.ForeignKey(Block, on_delete=models.PROTECT, verbose_name="khối")
    name = models.CharField("tên đơn vị", max_length=200)
    head_title = models.CharField("chức danh người đứng đầu", max_length=200, blank=True)
    head_name = models.CharField("họ tên người đứng đầu", max_length=200, blank=True)
    # Blank: the block's kind (INTERFACES §2 `units.kind`).
    kind = models.CharField("loại đơn vị", max_length=10, choices=UnitKind.choices, blank=True)
    # As the workbook writes it (INTERFACES §2 `units.predecessors`): blank, no lineage given
    # (compare by code); `-`, none; else `2022:A6;2022:A11` (appraisal/lineage.py parses it).
    predecessors = models.CharField("đơn vị tiền thân", max_length=500, blank=True)

    class Meta:
        verbose_name = "đơn vị tham gia"
        verbose_name_plural = "đơn vị tham gia"
        ordering = ["year", "block__code", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="unique_participation"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.unit.code} {self.name}"


def code_sort_key(code: str) -> str:
    """`3.10.1` sorts after `3.9`: zero-pad each dotted segment."""
    return ".".join(part.zfill(4) for part in code.split("."))


class Criterion(models.Model):
    """A node of a (year, block) criteria tree: lĩnh vực → tiêu chí → tiêu chí thành phần."""

    class Method(models.TextChoices):
        EVIDENCE = "evidence", "Qua tài liệu kiểm chứng"
        SURVEY = "survey", "Qua điều tra xã hội học"

    class Kind(models.TextChoices):
        NORMAL = "normal", "Thường"
        DEDUCTION = "deduction", "Điểm trừ"
        BONUS = "bonus", "Điểm thưởng"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="criteria", verbose_name="năm"
    )
    block = models.ForeignKey(Block, on_delete=models.PROTECT, verbose_name="khối")
    code = models.CharField("mã", max_length=32)
    sort_key = models.CharField(max_length=80, editable=False)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name="thuộc",
    )
    name = models.TextField("tên")  # at most NAME_MAX_LENGTH: the workbook and admin check it
    # A 32,767-character name made a 55-page annex (issue 13 item 10).
    NAME_MAX_LENGTH = 1000
    max_points = models.DecimalField(
        "điểm tối đa", **POINTS, validators=[MinValueValidator(Decimal(0))]
    )
    method = models.CharField(
        "phương pháp chấm",
        max_length=10,
        choices=Method.choices,
        blank=True,
        help_text="Chỉ với tiêu chí lá.",
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.NORMAL)
    counts_for_classification = models.BooleanField(
        "tính khi xếp loại người đứng đầu",
        null=True,
        blank=True,
        help_text="Chỉ với lĩnh vực; để trống: có khi mọi tiêu chí lá chấm qua tài liệu kiểm chứng.",
    )
    rubric = models.JSONField(
        "thang chấm theo tỷ lệ",
        default=list,
        blank=True,
        help_text='Các cặp [ngưỡng, điểm], ngưỡng cao nhất trước, ví dụ [["100", "1"], ["80", "0.5"]].',
    )
    is_leaf = models.BooleanField("là tiêu chí lá", default=True)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "bộ chỉ số (tiêu chí)"
        ordering = ["year", "block__code", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["year", "block", "code"], name="unique_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def save(self, *args, **kwargs):
        self.sort_key = code_sort_key(self.code)
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.code.count(".")

    @property
    def area_code(self) -> str:
        return self.code.split(".")[0]


class BlockRules(models.Model):
    """The year's rules for one block, in the workbook's notation (INTERFACES.md §2)."""

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="rules", verbose_name="năm"
    )
    block = models.ForeignKey(Block, on_delete=models.PROTECT, verbose_name="khối")
    bands = models.CharField("ngưỡng nhóm (%)", max_length=60, default="90;80;70")
    xuat_sac = models.CharField(
        "Hoàn thành xuất sắc (tổng;từng lĩnh vực)", max_length=20, default="90;80"
    )
    tot = models.CharField("Hoàn thành tốt (tổng;từng lĩnh vực)", max_length=20, default="80;70")
    hoan_thanh = models.CharField("Hoàn thành (tổng;từng lĩnh vực)", max_length=20, default="65;50")
    self_review = models.CharField(
        "lĩnh vực phải kiểm điểm (mã:ngưỡng)", max_length=200, default="3:75;7:75"
    )
    band_names = models.CharField("tên nhóm (mỗi ngưỡng một tên)", max_length=300, blank=True)

    class Meta:
        verbose_name = "quy tắc xếp nhóm, xếp loại"
        verbose_name_plural = "quy tắc xếp nhóm, xếp loại"
        constraints = [
            models.UniqueConstraint(fields=["year", "block"], name="unique_block_rules"),
        ]

    def __str__(self) -> str:
        return f"{self.year} – khối {self.block.code}"
