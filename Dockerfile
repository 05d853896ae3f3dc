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

# Static files are collected (hashed names and gzip copies) into the image and served
# by WhiteNoise from gunicorn itself; the key below exists only for this build step.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0

# Evidence files live on a volume at PARINDEX_MEDIA_ROOT, outside any static root.
RUN useradd --system --home-dir /app parindex \
    && mkdir -p /data/media \
    && chown parindex /data/media
USER parindex

EXPOSE 8000
CMD ["gunicorn", "parindex.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--no-control-socket"]
