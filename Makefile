# JTAI Tracker: the two commands a new user needs are `make demo` and `make test`.
# Everything else here is what they depend on.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo runs "as at" a day that suits the 2018 Stockton plan and its sample board
# meetings (the last on 17 January 2019); `make demo DEMO_DATE=` runs at the real date.
DEMO_DATE ?= 2019-02-01

.PHONY: demo test lint pytest bench install assets system-deps lock clean run
# pytest-xdist workers for `make test`: one per core (each has its own test database and
# live server). PYTEST_WORKERS=0 runs the suite in one process. tests/scheduling.py hands
# the longest work out first and keeps the letters accuracy tests on one worker (the real
# letters are read once).
PYTEST_WORKERS ?= auto

## demo: install, build the CSS, load the Stockton plan and demo logins, serve on :8000
demo: export JTAI_DEMO_DATE = $(DEMO_DATE)
demo: install assets
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo --sample-progress
	@echo "Open http://$(HOST):$(PORT)/ and sign in with a login listed above."
	@echo "The demo runs as at $(if $(DEMO_DATE),$(DEMO_DATE),today) (DEMO_DATE=YYYY-MM-DD to change it)."
	@# The background-jobs worker runs beside the web server and stops with it; it also
	@# sends the reminders each morning (the daily job queues itself again).
	DJANGO_DEBUG=1 $(PY) manage.py send_reminders --schedule
	DJANGO_DEBUG=1 $(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

## test: lint, check migrations, run the whole suite (SQLite, or DATABASE_URL if set)
test: lint pytest

## lint: ruff, and no model change without its migration
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	JTAI_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

## pytest: the suite alone, spread over PYTEST_WORKERS processes
pytest: install assets system-deps
	JTAI_TESTING=1 CHROMIUM_PATH=$(CHROMIUM) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## bench: benchmarks (not part of `make test`); see tests/benchmarks/
bench: install assets
	$(PY) tests/benchmarks/run.py $(BENCH)

install: $(VENV)/.installed
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: static/build/app.css
static/build/app.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build

# Browser tests drive Debian's Chromium; install it when it is missing (needs root,
# as on CI and the project's machines).
system-deps:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## lock: re-pin requirements.lock after changing pyproject.toml dependencies
lock: install
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

run: install assets
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

clean:
	rm -rf $(VENV) node_modules static/build staticfiles .pytest_cache .ruff_cache
