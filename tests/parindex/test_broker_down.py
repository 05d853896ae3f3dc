"""Redis down: pages still serve, and a job is refused with a clear message, not lost."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Nothing listens here: a broker that is down.
DEAD_REDIS = "redis://127.0.0.1:6399/0"


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    database = tmp_path_factory.mktemp("broker-down") / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": DEAD_REDIS,
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    assert manage("migrate", "-v0", env=env).returncode == 0
    assert manage("load_demo", env=env).returncode == 0
    return env


def test_compute_is_refused_with_a_clear_message_when_redis_is_down(environment):
    result = manage("compute_results", "--year", "2026", "--timeout", "30", env=environment)

    assert result.returncode != 0
    assert "Hàng đợi tác vụ (Redis) không hoạt động" in result.stderr


def test_pages_still_serve_when_redis_is_down(environment):
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client(HTTP_HOST='127.0.0.1');"
        "print(c.get('/').status_code, c.get('/ket-qua/2025/').status_code,"
        " c.get('/api/years/2025/results').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**environment, "DJANGO_SETTINGS_MODULE": "parindex.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["200", "200", "200"], result.stderr[-2000:]
