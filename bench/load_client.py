"""A unit officer's browser for the load scenarios, as gunicorn sees it behind the TLS proxy.

`Browser` logs in, opens a leaf, saves its score and explanation the way the htmx autosave
does, uploads a PDF and looks at the tree. It times every request per endpoint and keeps
every save and upload in a `Log`: what was sent, when (wall clock, the server's own: both
run on this machine) and what the server answered, read from the page as a person reads
it: saved, late (the window had closed), refused for another reason, or an error (no
answer, or one not understood).

What the officers do, and when, is the scenario's: bench/deadline_load.py and
tests/parindex/test_database_restart.py; bench/load_report.py checks the log against the
database.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import os
import random
import re
import secrets
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal

import httpx

if importlib.util.find_spec("sniffio") is None:
    # httpcore tries `import sniffio` on every request, and each miss walks sys.path (~0.3 ms):
    # on a 2-core machine the client's CPU is taken from the server it measures.
    sys.modules.setdefault("sniffio", None)

LATE = "Đã hết thời hạn tự đánh giá"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERROR_SPAN = re.compile(r'<span class="error[^"]*"[^>]*>(.*?)</span>', re.S)
MESSAGES = re.compile(r'<ul class="messages">(.*?)</ul>', re.S)


@dataclass(frozen=True)
class Leaf:
    pk: int
    code: str
    max_points: Decimal
    step: Decimal


@dataclass(frozen=True)
class Account:
    username: str
    unit_code: str
    leaves: tuple[Leaf, ...]


@dataclass
class Request:
    endpoint: str
    status: int  # 0: no answer (transport error)
    ms: float
    at: float  # wall clock when sent
    user: str
    body: str = ""  # of a 5xx answer: what the user saw


@dataclass
class Write:
    """A save or an upload: what was sent, when, and what the server answered."""

    kind: str  # "save" or "upload"
    user: str
    unit_code: str
    leaf_pk: int
    phase: str
    sent_at: float
    received_at: float = 0.0
    status: int = 0
    outcome: str = "error"  # saved | late | refused | error
    message: str = ""
    value: Decimal | None = None
    note: str = ""
    name: str = ""
    sha256: str = ""


@dataclass
class Log:
    requests: list[Request] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    deadline: float | None = None  # when the window closed, if it did during the run
    cores: dict[str, float] = field(default_factory=dict)  # CPU in use during the work


def pdf_bytes(label: str) -> bytes:
    """A small PDF, different every time (an identical file would be reused, not stored)."""
    body = f"1 0 obj << /Title ({label}) /Nonce ({secrets.token_hex(8)}) >> endobj\n"
    return b"%PDF-1.4\n" + body.encode() + os.urandom(2048).hex().encode() + b"\n%%EOF\n"


def decimal_text(value: Decimal, comma: bool) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if comma else text


def answered(response: httpx.Response | None, status: int) -> bool:
    return response is not None and response.status_code == status


class Browser:
    """One officer's browser, as the server sees it behind production's TLS proxy.

    The proxy sets `X-Forwarded-Proto: https` (SECURE_PROXY_SSL_HEADER), so the app treats
    the request as HTTPS and its cookies are `Secure`. httpx would never send those over this
    plain-HTTP hop (it copies the jar per request with the default policy), so the jar drops
    the flag as cookies arrive. POSTs carry the `Origin` a browser sends, which Django's CSRF
    check compares with the https origin.
    """

    def __init__(self, base_url: str, account: Account, password: str, log: Log):
        self.account = account
        self.password = password
        self.log = log
        self.origin = "https://" + httpx.URL(base_url).netloc.decode()
        self.client = httpx.AsyncClient(
            base_url=base_url,
            headers={"X-Forwarded-Proto": "https"},
            timeout=httpx.Timeout(120),
            verify=False,  # plain HTTP: no need to load the CA bundle for each user
        )
        self.token = ""
        self.count = 0

    async def close(self) -> None:
        await self.client.aclose()

    async def request(self, endpoint: str, method: str, path: str, **kwargs):
        """The response, or None when no answer came (recorded as status 0)."""
        if method == "POST":
            kwargs["headers"] = {
                "Origin": self.origin,
                "Referer": self.origin + path,
                **kwargs.get("headers", {}),
            }
        at, started = time.time(), time.perf_counter()
        try:
            response = await self.client.request(method, path, **kwargs)
        except httpx.HTTPError:
            response = None
        for cookie in self.client.cookies.jar:
            cookie.secure = False
        ms = (time.perf_counter() - started) * 1000
        status = response.status_code if response is not None else 0
        body = response.text if status >= 500 else ""
        self.log.requests.append(Request(endpoint, status, ms, at, self.account.username, body))
        return response

    async def page(self, endpoint: str, path: str) -> httpx.Response | None:
        """GET a page with a form; its CSRF token is the one the next POST sends."""
        response = await self.request(endpoint, "GET", path)
        if answered(response, 200):
            found = CSRF.search(response.text)
            if found:
                self.token = found.group(1)
        return response

    async def login(self) -> None:
        await self.page("login page", "/dang-nhap/")
        response = await self.request(
            "login",
            "POST",
            "/dang-nhap/",
            data={
                "csrfmiddlewaretoken": self.token,
                "username": self.account.username,
                "password": self.password,
                "next": "",
            },
        )
        if not answered(response, 302):
            status = response.status_code if response is not None else "no answer"
            raise RuntimeError(f"{self.account.username}: login answered {status}")

    async def open_leaf(self, leaf: Leaf, endpoint: str = "leaf page") -> bool:
        return answered(await self.page(endpoint, f"/tu-danh-gia/tieu-chi/{leaf.pk}/"), 200)

    async def tree(self) -> bool:
        return answered(await self.request("tree", "GET", "/tu-danh-gia/"), 200)

    def _write(self, kind: str, leaf: Leaf, phase: str, **kwargs) -> Write:
        write = Write(
            kind,
            self.account.username,
            self.account.unit_code,
            leaf.pk,
            phase,
            sent_at=time.time(),
            **kwargs,
        )
        self.log.writes.append(write)
        return write

    @staticmethod
    def _answer(write: Write, response: httpx.Response | None, expected: int) -> bool:
        """Note when and how the server answered; whether it answered as expected."""
        write.received_at = time.time()
        if response is not None:
            write.status = response.status_code
        return answered(response, expected)

    async def save(
        self, leaf: Leaf, rng: random.Random, phase: str, endpoint="score save"
    ) -> Write:
        """The htmx autosave of a leaf's score and explanation."""
        value = leaf.step * rng.randint(0, int(leaf.max_points / leaf.step))
        self.count += 1
        note = f"Căn cứ: văn bản số {self.count}/{self.account.username} ({phase})"
        path = f"/tu-danh-gia/tieu-chi/{leaf.pk}/"
        write = self._write("save", leaf, phase, value=value, note=note)
        response = await self.request(
            endpoint,
            "POST",
            path + "luu/",
            data={
                "csrfmiddlewaretoken": self.token,
                "back": "leaf",
                "score": decimal_text(value, comma=rng.random() < 0.5),
                "note": note,
            },
            headers={
                "HX-Request": "true",
                "HX-Current-URL": self.origin + path,
                "HX-Target": f"saved-{leaf.pk}",
                "X-CSRFToken": self.token,
            },
        )
        if not self._answer(write, response, 200):
            return write
        error = ERROR_SPAN.search(response.text)
        if error:
            write.message = html.unescape(error.group(1)).strip()
            write.outcome = "late" if write.message.startswith(LATE) else "refused"
        elif "Đã lưu lúc" in response.text:
            write.outcome = "saved"
        return write

    async def upload(self, leaf: Leaf, phase: str) -> Write:
        """Upload a PDF on the leaf page; the outcome is the message on the page it leads to."""
        self.count += 1
        name = f"Minh chứng {self.account.unit_code} {leaf.code} số {self.count}.pdf"
        content = pdf_bytes(name)
        sha256 = hashlib.sha256(content).hexdigest()
        write = self._write("upload", leaf, phase, name=name, sha256=sha256)
        response = await self.request(
            "upload",
            "POST",
            f"/tu-danh-gia/tieu-chi/{leaf.pk}/tai-len/",
            data={"csrfmiddlewaretoken": self.token, "back": "leaf"},
            files={"files": (name, content, "application/pdf")},
        )
        if not self._answer(write, response, 302):
            return write
        page = await self.page("leaf page", response.headers["location"])
        messages = MESSAGES.search(page.text) if page is not None else None
        text = html.unescape(re.sub(r"<[^>]+>", " ", messages.group(1))) if messages else ""
        write.message = " ".join(text.split())
        if f"Đã tải lên '{name}'" in write.message:
            write.outcome = "saved"
        elif LATE in write.message:
            write.outcome = "late"
        elif write.message:
            write.outcome = "refused"
        return write
