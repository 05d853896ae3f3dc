from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from criteria.models import Criterion, Participation, Year


class RespondentGroup(models.Model):
    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="respondent_groups", verbose_name="năm"
    )
    code = models.CharField("mã nhóm", max_length=40)
    name = models.CharField("tên nhóm đối tượng", max_length=300)

    class Meta:
        verbose_name = "nhóm đối tượng điều tra"
        verbose_name_plural = "nhóm đối tượng điều tra"
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_group"),
        ]

    def __str__(self) -> str:
        return self.name


class Scale(models.Model):
    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="scales", verbose_name="năm"
    )
    code = models.CharField("mã thang đo", max_length=40)

    class Meta:
        verbose_name = "thang đo"
        verbose_name_plural = "thang đo"
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_scale"),
        ]

    def __str__(self) -> str:
        return self.code


class ScaleOption(models.Model):
    scale = models.ForeignKey(
        Scale, on_delete=models.CASCADE, related_name="options", verbose_name="thang đo"
    )
    code = models.CharField("mã phương án", max_length=20)
    label = models.CharField("nhãn", max_length=200)
    coefficient = models.DecimalField(
        "hệ số",
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    counted = models.BooleanField("được tính", default=True)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "phương án trả lời"
        verbose_name_plural = "phương án trả lời"
        ordering = ["scale", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="unique_scale_option"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"


class Question(models.Model):
    """The question behind one survey leaf."""

    criterion = models.OneToOneField(
        Criterion, on_delete=models.CASCADE, related_name="question", verbose_name="tiêu chí"
    )
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, verbose_name="thang đo")
    groups = models.ManyToManyField(RespondentGroup, verbose_name="nhóm được hỏi")
    text = models.TextField("nội dung câu hỏi", blank=True)
    sipas = models.BooleanField("thuộc Chỉ số hài lòng (SIPAS)", default=False)

    class Meta:
        verbose_name = "câu hỏi"
        verbose_name_plural = "câu hỏi"

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.text or self.criterion.name}"


class Ballot(models.Model):
    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="ballots", verbose_name="năm"
    )
    code = models.CharField("số phiếu", max_length=40)
    group = models.ForeignKey(
        RespondentGroup, on_delete=models.PROTECT, verbose_name="nhóm đối tượng"
    )

    class Meta:
        verbose_name = "phiếu điều tra"
        verbose_name_plural = "phiếu điều tra"
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_ballot"),
        ]

    def __str__(self) -> str:
        return self.code


class Answer(models.Model):
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="answers", verbose_name="phiếu"
    )
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, verbose_name="đơn vị được đánh giá"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, verbose_name="tiêu chí")
    option = models.ForeignKey(ScaleOption, on_delete=models.PROTECT, verbose_name="trả lời")

    class Meta:
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "participation", "criterion"], name="unique_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot.code}: {self.criterion.code} → {self.option.code}"


def upload_path(instance: "BallotUpload", filename: str) -> str:
    """A random name under MEDIA_ROOT/uploads/ballots/: never the user's, never static."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"uploads/ballots/{uuid.uuid4().hex}{suffix}"


class BallotUpload(models.Model):
    """A ballots file on its way in: checked (dry run, staged rows), then imported or not."""

    class Mode(models.TextChoices):
        APPEND = "append", "Thêm phiếu mới"
        REPLACE_BALLOTS = "replace_ballots", "Thay thế các phiếu trùng số phiếu"
        REPLACE_YEAR = "replace_year", "Thay thế toàn bộ phiếu của năm"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ kiểm tra"
        CHECKING = "checking", "Đang kiểm tra"
        CHECKED = "checked", "Hợp lệ, chờ xác nhận"
        REJECTED = "rejected", "Có lỗi, không nhập"
        IMPORTING = "importing", "Đang nhập"
        IMPORTED = "imported", "Đã nhập"
        CANCELLED = "cancelled", "Đã hủy"

    class Format(models.TextChoices):
        LONG = "long", "Mỗi dòng một câu trả lời"
        WIDE = "wide", "Mỗi dòng một phiếu và một đơn vị"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="ballot_uploads", verbose_name="năm"
    )
    file = models.FileField("tệp", upload_to=upload_path, blank=True)
    original_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("kích thước (byte)", default=0)
    mode = models.CharField("cách nhập", max_length=20, choices=Mode.choices, default=Mode.APPEND)
    status = models.CharField(
        "trạng thái", max_length=12, choices=Status.choices, default=Status.PENDING
    )
    format = models.CharField("dạng bảng", max_length=8, choices=Format.choices, blank=True)
    sheet = models.CharField("trang tính", max_length=100, blank=True)
    rows = models.PositiveIntegerField("số dòng", default=0)
    answers = models.PositiveIntegerField("câu trả lời hợp lệ", default=0)
    ballots = models.PositiveIntegerField("số phiếu", default=0)
    error_count = models.PositiveIntegerField("số lỗi", default=0)
    errors = models.JSONField("lỗi", default=list, blank=True)
    counts = models.JSONField("thống kê", default=dict, blank=True)
    job = models.ForeignKey(
        "parindex.Job",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="tác vụ",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tải lên",
    )
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    checked_at = models.DateTimeField("kiểm tra lúc", null=True, blank=True)
    imported_at = models.DateTimeField("nhập lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tệp phiếu điều tra"
        verbose_name_plural = "tệp phiếu điều tra"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class StagedAnswer(models.Model):
    """A valid row of a checked upload, with its codes resolved; gone once imported.

    Keys are plain (no constraint, no index): the rows live minutes, and the final
    INSERT … SELECT joins them on the ballot code only.
    """

    upload = models.ForeignKey(BallotUpload, on_delete=models.CASCADE, related_name="+")
    row = models.PositiveIntegerField()
    ballot_code = models.CharField(max_length=40)
    group = models.ForeignKey(
        RespondentGroup,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    option = models.ForeignKey(
        ScaleOption,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        verbose_name = "câu trả lời chờ nhập"
        verbose_name_plural = "câu trả lời chờ nhập"

    def __str__(self) -> str:
        return f"{self.ballot_code} (dòng {self.row})"


class SurveyPlan(models.Model):
    """How many ballots a group is planned to return about a block (DOMAIN §3)."""

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="survey_plans", verbose_name="năm"
    )
    block = models.ForeignKey(
        "units.Block", on_delete=models.CASCADE, related_name="+", verbose_name="khối"
    )
    group = models.ForeignKey(
        RespondentGroup, on_delete=models.CASCADE, related_name="plans", verbose_name="nhóm"
    )
    planned = models.PositiveIntegerField("số phiếu dự kiến")
    rates_every_unit = models.BooleanField(
        "mỗi phiếu đánh giá mọi đơn vị của khối",
        default=True,
        help_text="Đại biểu, lãnh đạo: có; người dân, doanh nghiệp: mỗi phiếu một đơn vị.",
    )

    class Meta:
        verbose_name = "kế hoạch phát phiếu"
        verbose_name_plural = "kế hoạch phát phiếu"
        ordering = ["year", "block__code", "group__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "block", "group"], name="unique_survey_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.year} – {self.block.code} – {self.group.code}: {self.planned}"
