"""gunicorn settings for production: ``gunicorn -c cms/gunicorn.conf.py cms.wsgi:application``.

Every value can be overridden by the environment, so that the same file serves a 1-CPU container
and a larger machine. https://docs.gunicorn.org/en/stable/settings.html
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")

# Sync workers: Django views are synchronous and the page cache makes most requests short.
# WEB_CONCURRENCY is the conventional knob (Heroku, Render, Dokku); default 2 per CPU + 1, capped
# so that a big machine does not exhaust PostgreSQL connections (each worker keeps one open).
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"

# Worker recycling is off by default. A soak of the member home and the public pages kept every
# worker's memory flat (README "Performance"), while recycling restarted workers in the middle of
# traffic: with max_requests 2000 +/- 200 the workers of one machine reached their limit within
# seconds of each other and the site stalled while they all booted. Set GUNICORN_MAX_REQUESTS to
# bound a leak if one appears; the jitter then defaults to half of it, so restarts spread out.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 2)))

# A request taking longer than this is killed (a stuck PDF extraction must not hold a worker).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Slightly longer than the reverse proxy's keep-alive, so the proxy closes idle connections first.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Load the application once in the master, then fork: faster start, shared memory pages.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes"}


# Python's full garbage collection walks every object the process holds: with Django, Wagtail
# and the app loaded that is 340,000 objects and a 250 ms pause, in the middle of a request, every
# few thousand requests of each worker (the member home's p99 of 200-500 ms under load). What is
# loaded before the fork lives as long as the worker; frozen, the collector skips it (a full
# collection then walks some 12,000 objects) and leaves the shared memory pages untouched.
# https://docs.python.org/3/library/gc.html#gc.freeze
def pre_fork(server, worker):
    gc.freeze()


def post_worker_init(worker):
    gc.freeze()  # also what a worker loaded itself (GUNICORN_PRELOAD=false)


# The container's /tmp may be a disk; heartbeat files belong in memory.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Behind the reverse proxy only: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to stdout/stderr for the container runtime. The access log is one JSON object per line
# with the request id the proxy sent, so it joins with the application's JSON logs. Query strings
# (search terms) and user agents are left out: less personal data, and gunicorn does not escape
# quotes in them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "level": "INFO", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}i)s"}'
)
