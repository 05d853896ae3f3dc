"""Production settings come from the environment alone (INTERFACES.md §1).

Run in a subprocess: there `pytest` is not imported, so settings see production, not tests.
"""

import json
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


def production_settings(*names: str) -> dict[str, str]:
    """The values production would run with, read in a process that is not a test."""
    code = "; ".join(
        ["from django.conf import settings", "import json"]
        + [f"print(json.dumps([{name!r}, repr(getattr(settings, {name!r}))]))" for name in names]
    )
    result = manage("shell", "-c", code, **production())
    assert result.returncode == 0, result.stderr
    return dict(json.loads(line) for line in result.stdout.splitlines() if line.startswith("["))


def test_production_cookies_are_secure_httponly_and_sessions_expire():
    values = production_settings(
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "X_FRAME_OPTIONS",
    )

    assert values == {
        "SESSION_COOKIE_SECURE": "True",
        "SESSION_COOKIE_HTTPONLY": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SESSION_COOKIE_SAMESITE": "'Lax'",
        "SESSION_COOKIE_AGE": str(8 * 60 * 60),
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": "True",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "X_FRAME_OPTIONS": "'DENY'",
    }


def test_production_hashes_passwords_with_argon2_and_throttles_logins():
    values = production_settings("PASSWORD_HASHERS", "AXES_ENABLED", "AXES_FAILURE_LIMIT")

    assert values["PASSWORD_HASHERS"].startswith(
        "['django.contrib.auth.hashers.Argon2PasswordHasher'"
    )
    assert values["AXES_ENABLED"] == "True"
    assert values["AXES_FAILURE_LIMIT"] == "5"


def test_local_env_gives_defaults_and_the_environment_wins(tmp_path, monkeypatch):
    from parindex.settings import local_defaults

    path = tmp_path / "local.env"
    path.write_text("# a comment\nDJANGO_DEBUG=1\n\nPARINDEX_PROVINCE = Hải Phòng\nbroken line\n")

    assert local_defaults(path) == {"DJANGO_DEBUG": "1", "PARINDEX_PROVINCE": "Hải Phòng"}
    assert local_defaults(tmp_path / "missing.env") == {}


def test_a_fresh_clone_runs_the_readme_commands_with_no_variable_set():
    """`make install` writes local.env; then `manage.py …` works as the README says."""
    subprocess.run(["make", "local.env"], cwd=REPO, check=True, capture_output=True)

    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True"
    assert "local.env" in (REPO / ".gitignore").read_text().split()


def test_production_images_never_carry_the_local_defaults():
    assert "local.env" in (REPO / ".dockerignore").read_text().split()
    assert "DJANGO_DEBUG=0" in (REPO / "Dockerfile").read_text()


def test_an_explicit_production_setting_overrides_local_env():
    result = manage("check", DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY phải được đặt khi DJANGO_DEBUG=0." in result.stderr
