from decimal import Decimal

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
