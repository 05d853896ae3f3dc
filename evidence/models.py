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
    updated_at = models.DateTimeField("cập nhật", auto_now=True)

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["participation", "criterion"], name="unique_score"),
        ]

    def __str__(self) -> str:
        return f"{self.participation.unit.code} – {self.criterion.code}"
