import pytest

from parindex.celery import app as celery_app


@pytest.fixture(autouse=True)
def eager_jobs(request):
    """Jobs run in-process in tests, unless a test starts a real worker (`worker` marker)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = request.node.get_closest_marker("worker") is None
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached analyses (survey dashboard, ranking noise) never leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
