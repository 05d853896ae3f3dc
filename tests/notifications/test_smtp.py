"""The reminder really leaves: Django's SMTP backend to a real SMTP server (aiosmtpd) on
127.0.0.1, and what arrives is read back."""

import email
import socket
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from .conftest import BASE_URL, run


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Chỉ số CCHC Hải Dương <cchc@haiduong.gov.vn>"
    yield inbox
    controller.stop()


def test_the_three_day_reminder_arrives_at_the_smtp_server_in_vietnamese(
    world, people, smtp_server
):
    run("2024-01-08T09:00")

    received = [
        (rcpt, email.message_from_bytes(raw, policy=default)) for rcpt, raw in smtp_server.messages
    ]
    # A long encoded header is folded right after "Subject:"; mail clients unfold it.
    [message] = [
        message
        for rcpt, message in received
        if rcpt == ["thutruong.yte@cchc.example.vn"] and "Còn 3 ngày" in message["Subject"]
    ]
    assert message["Subject"].strip() == "Còn 3 ngày tự đánh giá Chỉ số CCHC năm 2023: Sở Y tế"
    assert message["From"] == "Chỉ số CCHC Hải Dương <cchc@haiduong.gov.vn>"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Kính gửi Phạm Quốc Hùng," in text
    assert "Tiêu chí chưa có tài liệu kiểm chứng (4):" in text
    assert f"Xem chi tiết: {BASE_URL}/tu-danh-gia/" in text
    assert f'<a href="{BASE_URL}/tu-danh-gia/">Xem chi tiết</a>' in html
    # The opening and the reminder, to each of the four people of the units.
    assert len(smtp_server.messages) == 2 * 4
