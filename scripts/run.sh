#!/usr/bin/env bash
# Serve the app with a Celery worker and beat (`make run`). Ctrl-C or SIGTERM stops all three.
#
# Each process runs in its own process group (setsid), so the terminal's Ctrl-C reaches this script only and the
# script stops each group once: TERM (the worker's warm shutdown, the autoreloader's child with runserver), then KILL
# for whatever is left after STOP_TIMEOUT seconds. When one of the three ends by itself, the others are stopped too.
#
#   scripts/run.sh                    http://127.0.0.1:8000
#   RUN_ADDR=127.0.0.1:8123 STOP_TIMEOUT=5 scripts/run.sh
set -u
cd "$(dirname "$0")/.."

BIN="${BIN:-.venv/bin}"
RUN_ADDR="${RUN_ADDR:-127.0.0.1:8000}"
STOP_TIMEOUT="${STOP_TIMEOUT:-10}"
groups=()
stopping=0

start() {
  setsid "$@" &
  groups+=("$!")
}

alive() {
  local group
  for group in "${groups[@]}"; do
    kill -0 -- "-$group" 2>/dev/null && return 0
  done
  return 1
}

stop() {
  # Once only: a second Ctrl-C while stopping changes nothing.
  [ "$stopping" = 1 ] && return
  stopping=1
  trap '' INT TERM
  local group deadline=$((SECONDS + STOP_TIMEOUT))
  for group in "${groups[@]}"; do
    kill -TERM -- "-$group" 2>/dev/null
  done
  while alive && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.2
  done
  for group in "${groups[@]}"; do
    kill -KILL -- "-$group" 2>/dev/null
  done
  wait
}

trap 'stop; exit 0' INT TERM

start "$BIN/celery" -A config worker -l warning --concurrency 2
start "$BIN/celery" -A config beat -l warning --scheduler django_celery_beat.schedulers:DatabaseScheduler --pidfile=
start "$BIN/python" manage.py runserver "$RUN_ADDR"

wait -n
status=$?
stop
exit "$status"
