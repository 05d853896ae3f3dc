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


@pytest.fixture(scope="module")
def nginx_server(django_db_setup, tmp_path_factory):
    """deploy/nginx/nginx.conf.template's nginx in front of a gunicorn of its own (3 sync
    workers, as production), which trusts one proxy for the client address."""
    from bench.servers import NGINX, Nginx

    reason = worker_skip_reason() or (None if NGINX.exists() else f"needs {NGINX}")
    if reason:
        pytest.skip(reason)
    logs = tmp_path_factory.mktemp("nginx")
    upstream = Gunicorn(
        logs,
        database_url=worker_database_url(),
        redis_url=settings.REDIS_URL,
        access_log=True,
        env={"PARINDEX_PROXY_COUNT": "1"},
    ).start()
    proxy = Nginx(logs, upstream=f"127.0.0.1:{upstream.port}").start()
    proxy.upstream = upstream
    yield proxy
    proxy.stop()
    upstream.stop()
