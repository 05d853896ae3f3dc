"""Production settings come from the environment alone (INTERFACES.md §1).

Run in a subprocess: there `pytest` is not imported, so settings see production, not tests.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PARINDEX_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**overrides: str) -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "cchc.example.gov.vn",
        **overrides,
    }


def test_deploy_check_finds_no_issue_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_flags_a_weak_secret_key():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **production(DJANGO_SECRET_KEY="abc")
    )

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    for secret in (None, ""):
        env = production()
        if secret is None:
            del env["DJANGO_SECRET_KEY"]
        else:
            env["DJANGO_SECRET_KEY"] = secret

        result = manage("check", **env)

        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY phải được đặt khi DJANGO_DEBUG=0." in result.stderr
