from django.db import models

from criteria.models import Year


def rendered_path(instance: "RenderedFile", filename: str) -> str:
    # Under MEDIA_ROOT, served only through the permission-checked views.
    return f"reports/{instance.year.year}/r{instance.revision}/{instance.digest[:16]}-{filename}"


class RenderedFile(models.Model):
    """A rendered document of a year, kept until what it shows changes.

    `digest` hashes everything the document prints (and the templates that print it):
    a document whose digest is unchanged is not rendered again. `fingerprint` is the
    results' Computation.fingerprint it was rendered from.
    """

    class Kind(models.TextChoices):
        ANNEX = "annex", "Biểu kết quả của đơn vị (PDF)"
        SUMMARY = "summary", "Bảng tổng hợp (XLSX)"
        REPORT = "report", "Báo cáo (PDF)"
        REPORT_DOCX = "report_docx", "Báo cáo (DOCX)"
        BUNDLE = "bundle", "Trọn bộ (ZIP)"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="rendered_files", verbose_name="năm"
    )
    revision = models.PositiveSmallIntegerField("lần công bố", default=1)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    key = models.CharField("mã đơn vị", max_length=16, blank=True)
    filename = models.CharField("tên tệp", max_length=100)
    content_type = models.CharField("kiểu nội dung", max_length=100)
    digest = models.CharField("dấu vân tay nội dung", max_length=64)
    fingerprint = models.CharField("dấu vân tay kết quả", max_length=64)
    file = models.FileField("tệp", upload_to=rendered_path, max_length=300)
    size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    render_ms = models.PositiveIntegerField("thời gian kết xuất (ms)", default=0)
    rendered_at = models.DateTimeField("kết xuất lúc", auto_now=True)

    class Meta:
        verbose_name = "tài liệu đã kết xuất"
        verbose_name_plural = "tài liệu đã kết xuất"
        ordering = ["year", "revision", "kind", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "revision", "kind", "key"], name="unique_rendered_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} – {self.filename}"
