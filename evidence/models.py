import uuid

from django.conf import settings
from django.db import models

from criteria.models import POINTS, Criterion, Participation

VALUE = {"max_digits": 14, "decimal_places": 3}


class Score(models.Model):
    """One unit's entry on one evidence leaf: its self score and the appraised score."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="scores", verbose_name="đơn vị"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name="tiêu chí"
    )
    self_score = models.DecimalField("điểm tự chấm", **POINTS, null=True, blank=True)
    self_value = models.DecimalField("giá trị tự đánh giá", **VALUE, null=True, blank=True)
    self_note = models.TextField("giải thích của đơn vị", blank=True)
    not_applicable = models.BooleanField("không áp dụng", default=False)
    appraised_score = models.DecimalField("điểm thẩm định", **POINTS, null=True, blank=True)
    appraised_value = models.DecimalField("giá trị thẩm định", **VALUE, null=True, blank=True)
    appraisal_note = models.TextField("ý kiến thẩm định", blank=True)
    not_applicable_requested = models.BooleanField("đề nghị không áp dụng", default=False)
    not_applicable_reason = models.TextField("lý do đề nghị không áp dụng", blank=True)
    delegated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegated_scores",
        verbose_name="giao cho",
    )
    evidence = models.ManyToManyField(
        "EvidenceFile", blank=True, related_name="scores", verbose_name="tài liệu kiểm chứng"
    )
    updated_at = models.DateTimeField("cập nhật", auto_now=True)

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["participation", "criterion"], name="unique_score"),
        ]

    def __str__(self) -> str:
        return f"{self.participation.unit.code} – {self.criterion.code}"


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    """A random name under the year and unit: the user's file name is kept in the row only."""
    participation = instance.participation
    return f"evidence/{participation.year.year}/{participation.unit.code}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """An uploaded evidence file (tài liệu kiểm chứng). Never hard-deleted while the year is
    open: a replaced file keeps its row and bytes, pointed to by its successor."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"
        JPG = "jpg", "Ảnh JPG"
        PNG = "png", "Ảnh PNG"

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="evidence_files",
        verbose_name="đơn vị",
    )
    file = models.FileField("tệp", upload_to=evidence_path, max_length=300)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    kind = models.CharField("loại tệp", max_length=8, choices=Kind.choices)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tải lên",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        # RESTRICT: a version may go only together with its successor (the whole year).
        on_delete=models.RESTRICT,
        related_name="replaced_by",
        verbose_name="thay thế cho",
    )

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Submission(models.Model):
    """The head's submission of the unit's self-assessment; withdrawn = deleted (audited)."""

    participation = models.OneToOneField(
        Participation,
        on_delete=models.CASCADE,
        related_name="submission",
        verbose_name="đơn vị",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name="người gửi"
    )
    submitted_at = models.DateTimeField("gửi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "bản tự đánh giá đã gửi"
        verbose_name_plural = "bản tự đánh giá đã gửi"

    def __str__(self) -> str:
        return f"{self.participation} – {self.submitted_at:%d/%m/%Y %H:%M}"
