"""gunicorn serving the test database, for the tests marked `worker`.

Import the fixture into a test module (`from .servers import gunicorn_server`); the
launcher itself is bench/servers.py, shared with the load benchmark.
"""

import pytest
from django.conf import settings

from bench.servers import Gunicorn

from .conftest import worker_database_url, worker_skip_reason

__all__ = ["Gunicorn", "gunicorn_server", "nginx_one_worker", "nginx_server"]


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


def _nginx_in_front(logs, *, workers: int):
    """nginx (deploy/nginx/nginx.conf.template) in front of a gunicorn of its own, as
    docker-compose.yml runs them: one trusted proxy for the client address, stored files
    answered with X-Accel-Redirect and sent by nginx from the gunicorn's media root."""
    from bench.servers import NGINX, Nginx

    reason = worker_skip_reason() or (None if NGINX.exists() else f"needs {NGINX}")
    if reason:
        pytest.skip(reason)
    upstream = Gunicorn(
        logs,
        database_url=worker_database_url(),
        redis_url=settings.REDIS_URL,
        workers=workers,
        access_log=True,
        accel_redirect=True,
        env={"PARINDEX_PROXY_COUNT": "1"},
    ).start()
    try:
        proxy = Nginx(
            logs, upstream=f"127.0.0.1:{upstream.port}", media_root=upstream.media_root
        ).start()
    except BaseException:
        upstream.stop()
        raise
    proxy.upstream = upstream
    return proxy


@pytest.fixture(scope="module")
def nginx_server(django_db_setup, tmp_path_factory):
    """deploy/nginx/nginx.conf.template's nginx in front of a gunicorn of its own (3 sync
    workers, as production)."""
    proxy = _nginx_in_front(tmp_path_factory.mktemp("nginx"), workers=3)
    yield proxy
    proxy.stop()
    proxy.upstream.stop()


@pytest.fixture(scope="module")
def nginx_one_worker(django_db_setup, tmp_path_factory):
    """The same, with one sync worker: a request that held it would hold every page."""
    proxy = _nginx_in_front(tmp_path_factory.mktemp("nginx-one"), workers=1)
    yield proxy
    proxy.stop()
    proxy.upstream.stop()
