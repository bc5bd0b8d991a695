#!/bin/sh
# The image's entrypoint: the command names the role.
#   web [gunicorn options]    the web server on $PORT (default 8000); WEB_CONCURRENCY processes (default 2), 4 threads
#   worker [celery options]   a Celery worker
#   beat [celery options]     Celery beat (run exactly one)
#   migrate                   apply the migrations (a one-off before a new version starts)
#   manage <command> [...]    any manage.py command, e.g. `manage seed_demo` or `manage verify_audit_chain`
#   healthcheck               GET /health/ of the web server in this container (the image's HEALTHCHECK)
# Anything else is run as given.
set -eu

# The embedded broker's folders (only without REDIS_URL) live under /tmp: the root filesystem may be read-only.
mkdir -p /tmp/var

role="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$role" in
  web)
    # The gunicorn processes add up their request metrics in this folder (config/metrics.py); fresh at each start.
    export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-/tmp/prometheus}"
    rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    exec gunicorn config.wsgi \
      --bind "0.0.0.0:${PORT:-8000}" \
      --worker-class gthread --threads 4 --timeout 120 \
      --worker-tmp-dir /tmp \
      "$@"
    ;;
  worker)
    exec celery -A config worker --loglevel "${LOG_LEVEL:-INFO}" "$@"
    ;;
  beat)
    exec celery -A config beat --loglevel "${LOG_LEVEL:-INFO}" \
      --scheduler django_celery_beat.schedulers:DatabaseScheduler --pidfile= "$@"
    ;;
  migrate)
    python manage.py migrate --no-input "$@"
    exec python manage.py createcachetable
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  healthcheck)
    # The first ALLOWED_HOSTS name as the Host, and X-Forwarded-Proto as the TLS proxy in front would send it.
    exec python - <<'PY'
import os
import sys
import urllib.request

host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip().lstrip(".") or "localhost"
request = urllib.request.Request(
    f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health/",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:  # noqa: BLE001
    print(f"health check failed: {exc}", file=sys.stderr)
    sys.exit(1)
PY
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
