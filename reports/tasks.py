from celery import shared_task
from django.core.exceptions import ValidationError

from criteria.models import Year

from .jobs import render_set_advance, render_set_dispatch
from .services import document_refresh


@shared_task(acks_late=True, reject_on_worker_lost=True, throws=(ValidationError,))
def render_set_task(job_id: int) -> None:
    """Find what changed in a year's documents and send one render job per document."""
    render_set_dispatch(job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_document_task(job_id: int, year_id: int, kind: str, key: str) -> None:
    """Render one document (idempotent: an unchanged document is not rendered again)."""
    error = None
    try:
        document_refresh(year=Year.objects.get(pk=year_id), kind=kind, key=key)
    except Exception as failure:  # noqa: BLE001 - recorded on the set's job row
        error = f"{key or kind}: " + "; ".join(
            getattr(failure, "messages", None) or [str(failure) or type(failure).__name__]
        )
    render_set_advance(job_id, error)
