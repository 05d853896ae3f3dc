"""Email through Django's email API: Vietnamese subject, plain text and simple HTML bodies
from templates, links made absolute with PARINDEX_BASE_URL (a job has no request to ask
for the host)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from appraisal.templatetags.appraisal_format import vi_name

from .models import ACCOUNT_KINDS, Notice


class EmailNotOwed(Exception):
    """The email of this notice must no longer leave (the account was activated before
    it went, or closed): the sender gives it up with this reason, in Vietnamese."""


def absolute_url(path: str) -> str:
    """`/thong-bao/` → `https://cchc.example.gov.vn/thong-bao/`."""
    if not path or "://" in path:
        return path
    return settings.PARINDEX_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def email_build(*, to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """A message from `<template>.txt` and `<template>.html`, from DEFAULT_FROM_EMAIL.

    Subjects are one line: a newline in one would be refused by Django's email API.
    """
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    return message


# Who composes an account's email (activation, password reset): the accounts app registers
# itself at start-up (accounts/apps.py), as it sits after notifications in the flow.
ACCOUNT_EMAIL_COMPOSERS: list = []


def notice_email(notice: Notice) -> EmailMultiAlternatives:
    """The message of a notice; an account's email is composed by accounts (its one-time
    link is made now, at sending, and never stored). May raise EmailNotOwed."""
    if notice.kind in ACCOUNT_KINDS:
        if not ACCOUNT_EMAIL_COMPOSERS:
            raise EmailNotOwed("không có ứng dụng tài khoản để soạn thư")
        return ACCOUNT_EMAIL_COMPOSERS[0](notice)
    return email_build(
        to=notice.email_to,
        subject=notice.title,
        template="notifications/email",
        context={
            "name": vi_name(notice.person),
            "notice": notice,
            "lines": notice.lines,
            "link": absolute_url(notice.link),
            "settings_link": absolute_url(reverse("notifications:notices")),
            "province": settings.PARINDEX_PROVINCE,
        },
    )
