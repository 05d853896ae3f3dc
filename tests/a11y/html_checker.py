"""The Nu HTML Checker (vnu.jar from node_modules/vnu-jar, pinned in package-lock.json, run
with the machine's Java) over the pages the accessibility walk visited, as the server sent
them. htmx's `hx-*` attributes are allowed; nothing else is."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

VNU = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
ALLOWED = re.compile(r"^Attribute “hx-[a-z-]+” not allowed on element “[a-z]+” at this point\.$")


def html_errors(pages: list[tuple[str, str]]) -> list[str]:
    """Every error of the checker over `pages` ((label, html) pairs) as `label: line: message`."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: the Nu HTML Checker needs it (Debian's default-jre-headless)")
    if not VNU.exists():
        pytest.fail(f"vnu.jar not found at {VNU}: run make install (npm ci)")
    with tempfile.TemporaryDirectory() as folder:
        labels = {}
        for number, (label, html) in enumerate(pages):
            path = Path(folder) / f"page-{number}.html"
            path.write_text(html, encoding="utf-8")
            labels[path.name] = label
        run = subprocess.run(
            [java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", folder],
            capture_output=True,
            text=True,
            timeout=600,
        )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return [
        f"{labels.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}: "
        f"{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error") and not ALLOWED.match(m["message"])
    ]
