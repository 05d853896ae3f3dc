"""A real SMTP server (aiosmtpd) on 127.0.0.1 that Django's SMTP backend sends to, and
what arrives, read back as email messages."""

from __future__ import annotations

import email
import re
import socket
from email.message import EmailMessage
from email.policy import default
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller

FROM = "Chỉ số CCHC Hải Dương <cchc@haiduong.gov.vn>"


class Inbox:
    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.received.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=default) for _rcpt, raw in self.received]

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_path(message: EmailMessage) -> str:
    """The path of the first link in the message's text."""
    return urlparse(re.search(r"https?://\S+", text_of(message)).group(0)).path


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = FROM
    yield inbox
    controller.stop()
