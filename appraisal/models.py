from django.db import models

from criteria.models import Criterion, Participation, Year

FULL = {"max_digits": 30, "decimal_places": 15}


class Computation(models.Model):
    """The stored results of a year, replaced whole by each compute job."""

    year = models.OneToOneField(
        Year, on_delete=models.CASCADE, related_name="computation", verbose_name="năm"
    )
    computed_at = models.DateTimeField("tính lúc")
    fingerprint = models.CharField("dấu vân tay dữ liệu đầu vào", max_length=64)

    class Meta:
        verbose_name = "lần tính chỉ số"
        verbose_name_plural = "lần tính chỉ số"

    def __str__(self) -> str:
        return f"{self.year} ({self.computed_at:%d/%m/%Y %H:%M})"


class UnitResult(models.Model):
    class Classification(models.TextChoices):
        XUAT_SAC = "xuat_sac", "Hoàn thành xuất sắc nhiệm vụ"
        TOT = "tot", "Hoàn thành tốt nhiệm vụ"
        HOAN_THANH = "hoan_thanh", "Hoàn thành nhiệm vụ"
        KHONG_HOAN_THANH = "khong_hoan_thanh", "Không hoàn thành nhiệm vụ"

    computation = models.ForeignKey(
        Computation,
        on_delete=models.CASCADE,
        related_name="unit_results",
        verbose_name="lần tính",
    )
    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="result", verbose_name="đơn vị"
    )
    total = models.DecimalField("tổng điểm", **FULL)
    max_points = models.DecimalField("điểm tối đa", **FULL)
    index = models.DecimalField("chỉ số (%)", **FULL)
    rank = models.PositiveSmallIntegerField("xếp hạng")
    rank_change = models.SmallIntegerField("thay đổi thứ hạng", null=True, blank=True)
    band = models.PositiveSmallIntegerField("nhóm (ngưỡng dưới, %)")
    classification = models.CharField(
        "xếp loại người đứng đầu", max_length=20, choices=Classification.choices
    )
    self_review = models.JSONField("lĩnh vực phải kiểm điểm", default=list, blank=True)
    warnings = models.JSONField("cảnh báo", default=list, blank=True)

    class Meta:
        verbose_name = "kết quả đơn vị"
        verbose_name_plural = "kết quả đơn vị"
        ordering = ["participation__block__code", "rank", "participation__unit__code"]

    def __str__(self) -> str:
        return f"{self.participation} – hạng {self.rank}"


class AreaResult(models.Model):
    unit_result = models.ForeignKey(
        UnitResult, on_delete=models.CASCADE, related_name="areas", verbose_name="kết quả"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, verbose_name="lĩnh vực")
    score = models.DecimalField("điểm", **FULL)
    max_points = models.DecimalField("điểm tối đa", **FULL)
    index = models.DecimalField("chỉ số (%)", **FULL, null=True, blank=True)

    class Meta:
        verbose_name = "kết quả lĩnh vực"
        verbose_name_plural = "kết quả lĩnh vực"
        ordering = ["unit_result", "criterion__sort_key"]

    def __str__(self) -> str:
        return f"{self.unit_result} – lĩnh vực {self.criterion.code}"
