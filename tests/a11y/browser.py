"""axe-core and a 320 px reflow check on every page a role reaches, in Debian's chromium.

`audit_role` signs a persona in, follows every link inside the site from the home page
(one page per view and role: the leaf screen of 1.1 stands for every leaf), and on each
page runs axe-core (node_modules/axe-core, pinned in package-lock.json) with the WCAG 2.1
A/AA rules and the best-practice ones, then narrows the window to 320 px and measures the
page's width (WCAG 1.4.10) and each data table's scroll box.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.e2e.conftest import ARGS, CHROMIUM

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES_PER_ROLE = 40
# Files, not pages: they carry no HTML (and some render documents on the way).
NOT_PAGES = ("/tep/", "/tai-ve", ".pdf", ".xlsx", ".docx", ".zip", ".csv", "/dang-xuat/")
NARROW = 320

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, tags: v.tags,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""

# Page-level overflow, and every table wider than its box: is it inside a scroll box that
# a keyboard can reach and a screen reader can name?
REFLOW = r"""() => {
  const tables = [...document.querySelectorAll("main table")].filter(
    (t) => t.getBoundingClientRect().width > 0);
  const boxes = tables.map((t) => {
    let box = t.parentElement;
    while (box && box !== document.body && !["auto", "scroll"].includes(
      getComputedStyle(box).overflowX)) box = box.parentElement;
    const scrolls = box && box !== document.body;
    return {
      table: (t.caption && t.caption.textContent.trim()) || t.className || "table",
      overflows: t.scrollWidth > (scrolls ? box.clientWidth : innerWidth),
      inBox: !!scrolls,
      focusable: !!scrolls && box.tabIndex >= 0,
      named: !!scrolls && !!(box.getAttribute("aria-label") || box.getAttribute("aria-labelledby")),
    };
  });
  const inScrollBox = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement)
      if (["auto", "scroll"].includes(getComputedStyle(box).overflowX)) return true;
    return false;
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const wide = [...document.querySelectorAll("body *")].filter((el) =>
    el.getBoundingClientRect().right > innerWidth + 1 && !inScrollBox(el));
  const culprits = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)))
    .slice(0, 4).map((el) => `${describe(el)} (${Math.round(el.getBoundingClientRect().right)} px)`);
  return {width: document.documentElement.scrollWidth, viewport: innerWidth, tables: boxes, culprits};
}"""


@dataclass
class Violation:
    rule: str
    impact: str
    targets: list[str]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:3]) + (" …" if len(self.targets) > 3 else "")
        return f"{self.rule} ({self.impact}, {len(self.targets)}×): {shown}"


@dataclass
class PageAudit:
    role: str
    url: str
    view: str
    wcag: list[Violation] = field(default_factory=list)
    best_practice: list[Violation] = field(default_factory=list)
    width: int = 0
    viewport: int = NARROW
    tables: list[dict] = field(default_factory=list)
    culprits: list[str] = field(default_factory=list)
    html: str = ""  # the page as the server sent it, for the HTML checker


def view_of(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def links_of(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    links = []
    for href in hrefs:
        link = urldefrag(href).url
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if any(marker in link for marker in NOT_PAGES) or link.startswith("/quan-tri/"):
            continue
        links.append(link)
    return links


def audit_page(page, role: str, url: str) -> PageAudit:
    page.add_script_tag(path=str(AXE))
    found = PageAudit(role=role, url=url, view=view_of(url) or url)
    for violation in page.evaluate(AXE_RUN, WCAG_TAGS + ["best-practice"]):
        item = Violation(violation["rule"], violation["impact"], violation["targets"])
        is_wcag = any(tag in WCAG_TAGS for tag in violation["tags"])
        (found.wcag if is_wcag else found.best_practice).append(item)
    viewport = page.viewport_size
    page.set_viewport_size({"width": NARROW, "height": 800})
    page.wait_for_timeout(50)
    reflow = page.evaluate(REFLOW)
    found.width, found.viewport = reflow["width"], reflow["viewport"]
    found.tables, found.culprits = reflow["tables"], reflow["culprits"]
    page.set_viewport_size(viewport)
    return found


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def audit_role(browser, base: str, role: str, password: str, extra: list[str]) -> list[PageAudit]:
    """Every page `role` reaches from its home (one per view), plus the `extra` URLs."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    if role != "public":
        sign_in(page, base, role, password)
    seen_views: set[str] = set()
    queue, queued, audits = deque(["/", *extra]), {"/", *extra}, []
    while queue and len(audits) < PAGES_PER_ROLE:
        url = queue.popleft()
        view = view_of(url) or url
        if view in seen_views and url not in extra:
            continue
        response = page.goto(f"{base}{url}")
        if (
            not response
            or response.status != 200
            or "text/html" not in response.headers.get("content-type", "")
        ):
            continue
        seen_views.add(view)
        started = time.monotonic()
        audit = audit_page(page, role, url)
        audit.html = response.text()
        audits.append(audit)
        print(f"[a11y] {role} {url} {time.monotonic() - started:.1f} s", flush=True)
        for link in links_of(page):
            if link not in queued and (view_of(link) or link) not in seen_views:
                queued.add(link)
                queue.append(link)
    context.close()
    return audits


def in_browser(scenario):
    """Run `scenario(browser)` in a thread of its own and return its result (Playwright's
    sync API allows one instance per thread; the e2e suite keeps its session browser)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("PARINDEX_REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM}: install Debian's chromium package")
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: run make install (npm ci)")
    outcome: dict = {}

    def run():
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                try:
                    outcome["result"] = scenario(browser)
                finally:
                    browser.close()
        except BaseException as failure:  # re-raised in the test's thread
            outcome["failure"] = failure

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "failure" in outcome:
        raise outcome["failure"]
    return outcome["result"]
