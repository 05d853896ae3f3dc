from django.conf import settings
from django.db import models
from django.utils import timezone

from criteria.models import POINTS, Criterion, Participation, Year
from evidence.models import VALUE

FULL = {"max_digits": 30, "decimal_places": 15}


class ComputationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            models.Q(published_at__isnull=False) | models.Q(year__status=Year.Status.PUBLISHED)
        ).exclude(fingerprint="")


class Computation(models.Model):
    """The results of one revision of a year (DOMAIN §9).

    Revision 1 is what the council first publishes; each correction adds the next revision,
    computed and published on its own. A published revision's rows are never touched again:
    only the one unpublished revision (the year's working results) is replaced by a compute.
    """

    year = models.ForeignKey(
        Year,
        on_delete=models.CASCADE,
        related_name="computations",
        related_query_name="computation",
        verbose_name="năm",
    )
    revision = models.PositiveSmallIntegerField("lần công bố", default=1)
    computed_at = models.DateTimeField("tính lúc")
    fingerprint = models.CharField("dấu vân tay dữ liệu đầu vào", max_length=64)
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True)
    published_on = models.DateField("ngày công bố", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người công bố",
    )
    documents_rendered_at = models.DateTimeField("kết xuất đủ tài liệu lúc", null=True, blank=True)
    correction_reason = models.TextField("lý do đính chính", blank=True)
    correction_opened_at = models.DateTimeField("mở đính chính lúc", null=True, blank=True)
    correction_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người mở đính chính",
    )

    objects = ComputationQuerySet.as_manager()

    class Meta:
        verbose_name = "lần tính chỉ số"
        verbose_name_plural = "lần tính chỉ số"
        ordering = ["year", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["year", "revision"], name="unique_year_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.year} – lần {self.revision} ({self.computed_at:%d/%m/%Y %H:%M})"

    @property
    def is_published(self) -> bool:
        # A year in the published status has no unpublished revision: a correction's
        # working revision exists only while the year is in correction.
        return self.published_at is not None or self.year.status == Year.Status.PUBLISHED

    @property
    def publication_date(self):
        return self.published_on or (self.year.published_on if self.is_published else None)

    @property
    def is_correction(self) -> bool:
        return self.revision > 1


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
    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="results",
        related_query_name="result",
        verbose_name="đơn vị",
    )
    total = models.DecimalField("tổng điểm", **FULL)
    max_points = models.DecimalField("điểm tối đa", **FULL)
    index = models.DecimalField("chỉ số (%)", **FULL)
    rank = models.PositiveSmallIntegerField("xếp hạng")
    rank_change = models.SmallIntegerField("thay đổi thứ hạng", null=True, blank=True)
    band = models.DecimalField("nhóm (ngưỡng dưới, %)", max_digits=6, decimal_places=3)
    classification = models.CharField(
        "xếp loại người đứng đầu", max_length=20, choices=Classification.choices
    )
    self_review = models.JSONField("lĩnh vực phải kiểm điểm", default=list, blank=True)
    warnings = models.JSONField("cảnh báo", default=list, blank=True)
    band_name = models.CharField("tên nhóm", max_length=100, blank=True)
    # DOMAIN §8 lineage: index − the predecessors' (full precision), null for a new unit;
    # `predecessors`: [{"year", "code", "name"}] of the units compared with.
    index_change = models.DecimalField(
        "thay đổi chỉ số (điểm %)", max_digits=12, decimal_places=6, null=True, blank=True
    )
    predecessors = models.JSONField("so sánh với", default=list, blank=True)
    # DOMAIN §8 SIPAS: null when the unit has no counted SIPAS answer.
    sipas_index = models.DecimalField("chỉ số hài lòng (%)", **FULL, null=True, blank=True)
    sipas_rank = models.PositiveSmallIntegerField("xếp hạng hài lòng", null=True, blank=True)
    sipas_counted = models.PositiveIntegerField("số câu trả lời tính", null=True, blank=True)
    sipas_low = models.DecimalField("cận dưới 95 %", **FULL, null=True, blank=True)
    sipas_high = models.DecimalField("cận trên 95 %", **FULL, null=True, blank=True)

    class Meta:
        verbose_name = "kết quả đơn vị"
        verbose_name_plural = "kết quả đơn vị"
        ordering = ["participation__block__code", "rank", "participation__unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["computation", "participation"], name="unique_result_per_revision"
            ),
        ]

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
    change = models.DecimalField(
        "thay đổi (điểm %)", max_digits=12, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = "kết quả lĩnh vực"
        verbose_name_plural = "kết quả lĩnh vực"
        ordering = ["unit_result", "criterion__sort_key"]

    def __str__(self) -> str:
        return f"{self.unit_result} – lĩnh vực {self.criterion.code}"


class BlockResult(models.Model):
    """A block's pooled figures in one revision (DOMAIN §8); block None: the province's."""

    computation = models.ForeignKey(
        Computation,
        on_delete=models.CASCADE,
        related_name="block_results",
        verbose_name="lần tính",
    )
    block = models.ForeignKey(
        "units.Block", on_delete=models.PROTECT, null=True, blank=True, verbose_name="khối"
    )
    sipas_index = models.DecimalField("chỉ số hài lòng (%)", **FULL, null=True, blank=True)
    sipas_counted = models.PositiveIntegerField("số câu trả lời tính", default=0)
    sipas_low = models.DecimalField("cận dưới 95 %", **FULL, null=True, blank=True)
    sipas_high = models.DecimalField("cận trên 95 %", **FULL, null=True, blank=True)

    class Meta:
        verbose_name = "kết quả khối"
        verbose_name_plural = "kết quả khối"
        constraints = [
            models.UniqueConstraint(
                fields=["computation", "block"], name="unique_block_result_per_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.computation} – {self.block or 'toàn tỉnh'}"


class Assignment(models.Model):
    """An appraiser's share of a year: one area of one block (DOMAIN §3, by area)."""

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="assignments", verbose_name="năm"
    )
    block = models.ForeignKey("units.Block", on_delete=models.PROTECT, verbose_name="khối")
    area_code = models.CharField("mã lĩnh vực", max_length=32)
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appraisal_assignments",
        verbose_name="thành viên thẩm định",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người phân công",
    )
    assigned_at = models.DateTimeField("phân công lúc", default=timezone.now)

    class Meta:
        verbose_name = "phân công thẩm định"
        verbose_name_plural = "phân công thẩm định"
        ordering = ["year", "block__code", "area_code", "appraiser__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "block", "area_code", "appraiser"], name="unique_assignment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} – khối {self.block.code}, lĩnh vực {self.area_code}: {self.appraiser}"


class AppraisalEntry(models.Model):
    """One appraisal of one leaf, kept for ever: round 1, then round 2 after the explanation.

    The current appraised value lives on evidence.Score, which the engine reads.
    """

    class Round(models.IntegerChoices):
        FIRST = 1, "Vòng 1"
        FINAL = 2, "Vòng 2 (sau giải trình)"
        CORRECTION = 3, "Đính chính sau công bố"

    class Status(models.TextChoices):
        AGREED = "agreed", "Thống nhất"
        ADJUSTED = "adjusted", "Điều chỉnh"
        NEEDS_EXPLANATION = "needs_explanation", "Đề nghị giải trình"

    score = models.ForeignKey(
        "evidence.Score",
        on_delete=models.CASCADE,
        related_name="appraisal_entries",
        verbose_name="điểm tiêu chí",
    )
    round = models.PositiveSmallIntegerField("vòng", choices=Round.choices, default=Round.FIRST)
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người thẩm định",
    )
    appraised_score = models.DecimalField("điểm thẩm định", **POINTS, null=True, blank=True)
    appraised_value = models.DecimalField("giá trị thẩm định", **VALUE, null=True, blank=True)
    status = models.CharField("kết quả", max_length=20, choices=Status.choices)
    comment = models.TextField("ý kiến thẩm định", blank=True)
    at = models.DateTimeField("thời điểm", default=timezone.now)

    class Meta:
        verbose_name = "lượt thẩm định"
        verbose_name_plural = "lượt thẩm định"
        ordering = ["score", "at", "id"]

    def __str__(self) -> str:
        return f"{self.score} – vòng {self.round}: {self.get_status_display()}"


class Explanation(models.Model):
    """A unit's answer (giải trình) to an adjusted or disputed leaf, with extra evidence."""

    score = models.ForeignKey(
        "evidence.Score",
        on_delete=models.CASCADE,
        related_name="explanations",
        verbose_name="điểm tiêu chí",
    )
    note = models.TextField("nội dung giải trình")
    files = models.ManyToManyField(
        "evidence.EvidenceFile",
        blank=True,
        related_name="explanations",
        verbose_name="tài liệu bổ sung",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người giải trình",
    )
    at = models.DateTimeField("thời điểm", default=timezone.now)

    class Meta:
        verbose_name = "giải trình"
        verbose_name_plural = "giải trình"
        ordering = ["score", "at", "id"]

    def __str__(self) -> str:
        return f"{self.score} – giải trình {self.at:%d/%m/%Y %H:%M}"


class SurveyGapAcknowledgement(models.Model):
    """The council's written acceptance that a unit's survey leaf has no counted answer and
    scores 0 (DOMAIN §9): until then the year cannot be published."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="+", verbose_name="tiêu chí"
    )
    note = models.TextField("lý do chấp nhận")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người ghi nhận",
    )
    at = models.DateTimeField("thời điểm", default=timezone.now)

    class Meta:
        verbose_name = "ghi nhận tiêu chí điều tra không có phiếu"
        verbose_name_plural = "ghi nhận tiêu chí điều tra không có phiếu"
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "criterion"], name="unique_survey_gap_acknowledgement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation} – {self.criterion.code}: không có phiếu (đã ghi nhận)"
