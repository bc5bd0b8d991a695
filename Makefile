# Ambassadeursprogramma. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(CURDIR)/$(PY) $(CURDIR)/manage.py
export DJANGO_ALLOW_ASYNC_UNSAFE := true
# The Makefile is for development and tests; production sets its own environment.
export DJANGO_DEBUG ?= true

.PHONY: run test install assets messages migrate seed lint format migrations-check makemessages pytest clean bench soak

run: install assets messages migrate seed ## Serve the demo on http://127.0.0.1:8000 with a Celery worker and beat
	@echo "Ambassadeursprogramma: http://127.0.0.1:8000 (Ctrl-C stops the server, worker and beat)"
	@BIN=$(BIN) scripts/run.sh

test: install assets messages lint migrations-check pytest ## The whole suite: lint, migrations, unit and browser tests

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed .env

.env:
	cp .env.example .env

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.copied: node_modules/.installed
	rm -rf static/vendor && mkdir -p static/vendor/bootstrap static/vendor/bootstrap-icons static/vendor/chartjs static/vendor/htmx static/vendor/axe static/vendor/noto-sans
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts static/vendor/bootstrap-icons/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/chartjs/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/axe-core/axe.min.js static/vendor/axe/
	cp node_modules/@expo-google-fonts/noto-sans/LICENSE_FONT node_modules/@expo-google-fonts/noto-sans/{400Regular,400Regular_Italic,700Bold,700Bold_Italic}/*.ttf static/vendor/noto-sans/
	touch $@

assets: static/vendor/.copied ## Copy front-end packages from npm into static/vendor

messages: install ## Compile the committed .po catalogues
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

makemessages: install ## Update every .po catalogue from the code (per app, and the shared templates)
	for app in core accounts programme programme/library ambassadors ambassadors/programmes training incidents evaluation api; do \
		(cd $$app && $(MANAGE) makemessages -l nl -l en --no-obsolete -v 0 -i 'programmes/*' -i 'library/*') ; \
	done
	$(MANAGE) makemessages -l nl -l en --no-obsolete -v 0 \
		-i '.venv/*' -i 'node_modules/*' -i 'static/*' -i 'staticfiles/*' \
		-i 'core/*' -i 'accounts/*' -i 'programme/*' -i 'ambassadors/*' -i 'training/*' -i 'incidents/*' -i 'evaluation/*' -i 'api/*'

migrate: install
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable

seed: install ## Load the demo municipality when the database is empty
	$(MANAGE) seed_demo --if-empty

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run -v 1

pytest: install assets messages
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install assets messages ## Benchmark at the size of a large municipality (PostgreSQL db amb_bench, Redis db 8/9); results in bench/results/
	bench/run.sh

soak: install assets messages ## The soak alone: Locust for SOAK_SECONDS (600) against gunicorn and a worker, fresh db at scale 0.1 (make bench runs it last)
	BENCH_ONLY=soak BENCH_SCALES=$${BENCH_SCALES:-0.1} bench/run.sh

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var db.sqlite3

.PHONY: image image-test restore-drill

image: install assets ## Build the container image with podman (localhost/ambassadeurs:latest; see Containerfile)
	scripts/image.sh

image-test: install assets ## Build the image and test it for real: migrate, web, /health/, sign-in, worker, beat, metrics, non-root, read-only
	$(PY) scripts/image_test.py

restore-drill: install ## Dump the database (pg_dump) and uploads, restore them into a fresh database, compare every table and the audit chain
	$(MANAGE) restore_drill
