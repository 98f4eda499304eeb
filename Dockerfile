# The application image: gunicorn serving Django/Wagtail with the production settings.
# Build: docker build -t stadsdorpen .    Run: see compose.yaml (app + PostgreSQL + Redis +
# Elasticsearch + Caddy). Static files are collected at build time and served by WhiteNoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    PORT=8000

WORKDIR /app

# Runtime dependencies only (`make lock` writes runtime.txt from pyproject's non-dev dependencies,
# pinned to the same versions as lock.txt): no playwright, pytest, hypothesis, ruff or aiosmtpd.
COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install -r requirements/runtime.txt

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app

COPY --chown=app:app . .
# Hashed, compressed static files (WhiteNoise's manifest storage); the key is a throwaway
# because production settings refuse to start without one.
RUN SECRET_KEY=collectstatic-only-not-used-at-runtime python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown -R app:app /app/media /app/staticfiles

USER app
EXPOSE 8000
VOLUME ["/app/media"]

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/health/', headers={'Host': 'localhost'}), timeout=4)"

CMD ["gunicorn", "-c", "cms/gunicorn.conf.py", "cms.wsgi:application"]
