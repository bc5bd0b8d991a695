#!/usr/bin/env bash
# The benchmark from scratch: a fresh PostgreSQL database per scale, migrate, fill, measure.
# Usage: bench/run.sh            (scale 0.1 for the query counts, then scale 1.0 for everything)
#        BENCH_SCALES="0.1" bench/run.sh   (one scale only; the last scale gets the full run)
#        BENCH_ONLY=floor,intake,two_servers bench/run.sh   (some sections of the last scale only: floor, pages,
#            mailing, intake, two_servers; results in bench/results/partial-scale-*.md, the full run's stay)
#        BENCH_REUSE_DB=true ...   (measure the database the last run filled: no drop, migrate or fill)
#        BENCH_ONLY=soak ...       (the soak alone, as `make soak`: Locust for SOAK_SECONDS, default 600, against
#            gunicorn and a Celery worker on the last scale; results in bench/results/soak.md; also run last by a full run)
#        BENCH_NATIONAL=false ...  (without the national shape, which a full run measures last: bench_national on
#            amb_bench and on amb_bench_national, 20 organisations of a tenth of the size; results in
#            bench/results/national.md)
#        BENCH_ONLY=national BENCH_REUSE_DB=true ...   (the national shape alone, after a full run at scale 1.0;
#            BENCH_NATIONAL_REUSE_DB=false fills its database afresh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
PY="$ROOT/.venv/bin/python"
PGHOST="${BENCH_PGHOST:-127.0.0.1}"
PGUSER="${BENCH_PGUSER:-postgres}"
DB="${BENCH_DB:-amb_bench}"
SCALES="${BENCH_SCALES:-0.1 1.0}"
ONLY="${BENCH_ONLY:-}"
REUSE="${BENCH_REUSE_DB:-false}"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
# The soak is a command of its own (bench_soak); the other sections are bench_run's.
SOAK=false
if [ -z "$ONLY" ] || [[ ",$ONLY," == *",soak,"* ]]; then SOAK=true; fi
# The national shape is bench_national's: part of a full run unless BENCH_NATIONAL=false, or asked for by name.
NATIONAL="${BENCH_NATIONAL:-true}"
if [ -n "$ONLY" ] && [[ ",$ONLY," != *",national,"* ]]; then NATIONAL=false; fi
if [[ ",$ONLY," == *",national,"* ]]; then NATIONAL=true; fi
ONLY="$(echo ",$ONLY," | sed 's/,soak,/,/g; s/,national,/,/g; s/^,*//; s/,*$//')"
ONLY_GIVEN="${BENCH_ONLY:-}"
if [ -n "$ONLY_GIVEN" ]; then
    SCALES="${SCALES##* }"
fi

export DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/$DB"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/8}"
export REDIS_CACHE_URL="${BENCH_REDIS_CACHE_URL:-redis://127.0.0.1:6379/9}"
export DJANGO_DEBUG=false
export DJANGO_BENCH=true
export SECRET_KEY="bench-secret-key-not-for-production-$(date +%s)-0123456789abcdef"
export ALLOWED_HOSTS="127.0.0.1,testserver"
export SECURE_SSL_REDIRECT=false
export SECURE_COOKIES=false
export SECURE_HSTS_SECONDS=0
export LOG_LEVEL=WARNING
export BENCH_MAIL_DIR="${BENCH_MAIL_DIR:-/tmp/amb_bench_mail}"
export EMAIL_URL="filemail:///$BENCH_MAIL_DIR"

"$PY" manage.py collectstatic --no-input -v 0

last="${SCALES##* }"
# The query counts of this run's scales are compared with each other, never with an older run's.
if [ -z "$ONLY_GIVEN" ]; then
    rm -f bench/results/bench-scale-*.json bench/results/queries-scale-*.json
fi
for scale in $SCALES; do
    if [ "$REUSE" = "true" ]; then
        echo "== scale $scale: the database $DB as the last run filled it"
        "$PY" manage.py migrate --no-input -v 0
    else
        echo "== scale $scale: fresh database $DB"
        psql -h "$PGHOST" -U "$PGUSER" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
        psql -h "$PGHOST" -U "$PGUSER" -q -c "CREATE DATABASE $DB" postgres
        "$PY" manage.py migrate --no-input -v 0
        # The dashboards cache organisation-wide figures: none may survive from the previous database.
        "$PY" manage.py shell -c "from django.core.cache import cache; cache.clear()"
        "$PY" manage.py bench_fill --scale "$scale"
    fi
    if [ -n "$ONLY_GIVEN" ]; then
        if [ -n "$ONLY" ]; then "$PY" manage.py bench_run --scale "$scale" --final --only "$ONLY"; fi
    elif [ "$scale" = "$last" ]; then
        "$PY" manage.py bench_run --scale "$scale" --final
    else
        "$PY" manage.py bench_run --scale "$scale" --pages-only
    fi
done
if [ "$SOAK" = "true" ]; then
    echo "== soak: ${SOAK_SECONDS} s on scale ${SCALES##* }"
    "$PY" manage.py bench_soak --seconds "$SOAK_SECONDS"
fi
# The national shape beside today's (after a run at scale 1.0): the first organisation's pages, their plans and the
# rollup here, then in a database of 20 organisations of a tenth of the size (bench_national).
if [ "$NATIONAL" = "true" ]; then
    "$PY" manage.py bench_national --shape two
    NATIONAL_DB="${DB}_national"
    export DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/$NATIONAL_DB"
    if [ "${BENCH_NATIONAL_REUSE_DB:-$REUSE}" != "true" ]; then
        psql -h "$PGHOST" -U "$PGUSER" -q -c "DROP DATABASE IF EXISTS $NATIONAL_DB WITH (FORCE)" postgres
        psql -h "$PGHOST" -U "$PGUSER" -q -c "CREATE DATABASE $NATIONAL_DB" postgres
        "$PY" manage.py migrate --no-input -v 0
        "$PY" manage.py bench_fill --scale 0.1 --organisations 20
    fi
    "$PY" manage.py bench_national --shape national
fi
