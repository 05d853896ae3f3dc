# The production image, used by both `web` (gunicorn) and `worker` (celery) in docker-compose.yml.
# Configuration comes only from the environment (INTERFACES.md §1); nothing secret is baked in.
FROM python:3.11-slim-bookworm

# WeasyPrint draws the PDF reports with Pango; DejaVu carries the Vietnamese glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    DJANGO_DEBUG=0 \
    PARINDEX_MEDIA_ROOT=/data/media

WORKDIR /app
# Dependencies first (pinned in pyproject.toml), so code changes reuse this layer.
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .

# Evidence files live on a volume at PARINDEX_MEDIA_ROOT, outside any static root.
RUN useradd --system --home-dir /app parindex \
    && mkdir -p /data/media /app/staticfiles \
    && chown parindex /data/media /app/staticfiles
USER parindex

EXPOSE 8000
CMD ["gunicorn", "parindex.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--no-control-socket"]
