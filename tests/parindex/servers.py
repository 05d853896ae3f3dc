"""gunicorn serving the test database, for the tests marked `worker`.

Import the fixture into a test module (`from .servers import gunicorn_server`); the
launcher itself is bench/servers.py, shared with the load benchmark.
"""

import pytest
from django.conf import settings

from bench.servers import Gunicorn

from .conftest import worker_database_url, worker_skip_reason

__all__ = ["Gunicorn", "gunicorn_server"]


@pytest.fixture(scope="module")
def gunicorn_server(django_db_setup, tmp_path_factory):
    """gunicorn with DEBUG off on the test database (and the test Redis, for jobs);
    skips without PostgreSQL + Redis. Stopped before the test database is dropped."""
    reason = worker_skip_reason()
    if reason:
        pytest.skip(reason)
    server = Gunicorn(
        tmp_path_factory.mktemp("gunicorn"),
        database_url=worker_database_url(),
        redis_url=settings.REDIS_URL,
    ).start()
    yield server
    server.stop()
