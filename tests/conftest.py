import pytest

from parindex.celery import app as celery_app


@pytest.fixture(autouse=True)
def eager_jobs():
    """Jobs run in-process in tests, unless a test starts a real worker (`worker` marker)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
