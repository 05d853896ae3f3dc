from django.conf import settings
from django.db import models


class Job(models.Model):
    """A long-running background job (compute, import, render) with its progress.

    A row is created first, the Celery task receives its id, and pages poll it: the same
    in eager mode and with a real worker, with no result backend.
    """

    class Kind(models.TextChoices):
        COMPUTE = "compute", "Tính chỉ số"
        IMPORT_YEAR = "import_year", "Nhập năm đánh giá"
        IMPORT_BALLOTS = "import_ballots", "Nhập phiếu điều tra"
        RENDER = "render", "Xuất báo cáo"

    class Status(models.TextChoices):
        PENDING = "pending", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Hoàn thành"
        FAILED = "failed", "Thất bại"

    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    done = models.PositiveIntegerField("đã xong", default=0)
    total = models.PositiveIntegerField("tổng số", default=0)
    message = models.TextField("thông báo", blank=True)
    errors = models.JSONField("lỗi", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="người tạo",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)

    class Meta:
        verbose_name = "tác vụ nền"
        verbose_name_plural = "tác vụ nền"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year or ''} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class AuditEvent(models.Model):
    """Who changed what, when: old → new, for scores, appraisals, evidence, assignments and
    year status. Written by the services that make the change, never by signals."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="người thực hiện",
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    action = models.CharField("hành động", max_length=60)
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True, db_index=True)
    unit_code = models.CharField("đơn vị", max_length=16, blank=True)
    object_type = models.CharField("đối tượng", max_length=60, blank=True)
    object_id = models.CharField("mã đối tượng", max_length=60, blank=True)
    changes = models.JSONField("thay đổi (cũ → mới)", default=dict, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.action}"
