from django.conf import settings
from django.db import models


class Notice(models.Model):
    """One event of a year's lifecycle told to one person: in the app, by email, or both.

    The row is also the proof that the event was told: `key` names the event (year, kind,
    unit, deadline) and is unique per person, so a job run twice, or by two workers at once,
    creates one notice and sends one email.
    """

    class Kind(models.TextChoices):
        WINDOW_OPENED = "window_opened", "Mở thời gian tự đánh giá"
        SELF_ASSESSMENT_DUE = "self_assessment_due", "Sắp hết hạn tự đánh giá"
        APPRAISAL_QUEUE = "appraisal_queue", "Có tiêu chí chờ thẩm định"
        APPRAISAL_DUE = "appraisal_due", "Sắp hết hạn thẩm định"
        EXPLANATION_NEEDED = "explanation_needed", "Có tiêu chí cần giải trình"
        PUBLISHED = "published", "Công bố kết quả"
        # A person's own account: composed when sent (a fresh one-time link, never stored).
        ACTIVATION = "activation", "Thư kích hoạt tài khoản"
        PASSWORD_RESET = "password_reset", "Thư đặt lại mật khẩu"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name="người nhận",
    )
    # Kept if the year is deleted (an import's --replace, the demo's reset): the key, which
    # names the year by number, still says the event was told.
    year = models.ForeignKey(
        "criteria.Year",
        null=True,
        on_delete=models.SET_NULL,
        related_name="notices",
        verbose_name="năm",
    )
    kind = models.CharField("loại", max_length=30, choices=Kind.choices)
    key = models.CharField("mã sự kiện", max_length=120)
    title = models.CharField("tiêu đề", max_length=300)
    words = models.TextField("nội dung")
    link = models.CharField("đường dẫn", max_length=300, blank=True)
    created = models.DateTimeField("tạo lúc")
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    in_app = models.BooleanField("hiện trong ứng dụng", default=True)
    email_to = models.EmailField("gửi thư đến", blank=True)
    email_sent_at = models.DateTimeField("đã gửi thư lúc", null=True, blank=True)
    email_claimed_at = models.DateTimeField("bắt đầu gửi thư lúc", null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField("số lần gửi thư", default=0)
    email_error = models.TextField("lỗi gửi thư", blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="unique_notice_per_event"),
        ]
        indexes = [
            models.Index(fields=["person", "in_app", "read_at"], name="notice_unread"),
            models.Index(fields=["email_sent_at", "email_attempts"], name="notice_email_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def lines(self) -> list[str]:
        return self.words.splitlines()


# Emails about a person's own account: always by email, never in the app list, never
# subject to the reminders' channel (one cannot sign in to read them).
ACCOUNT_KINDS = frozenset({Notice.Kind.ACTIVATION, Notice.Kind.PASSWORD_RESET})


class NoticePreference(models.Model):
    """How a person wants to be told: by email, in the app, or both (the default)."""

    class Channel(models.TextChoices):
        BOTH = "both", "Cả thư điện tử và trong ứng dụng"
        EMAIL = "email", "Chỉ thư điện tử"
        IN_APP = "in_app", "Chỉ trong ứng dụng"

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preference",
        verbose_name="người dùng",
    )
    channel = models.CharField(
        "nhận thông báo qua", max_length=10, choices=Channel.choices, default=Channel.BOTH
    )

    class Meta:
        verbose_name = "cách nhận thông báo"
        verbose_name_plural = "cách nhận thông báo"

    def __str__(self) -> str:
        return f"{self.person}: {self.get_channel_display()}"
