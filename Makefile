# The two commands in the README: `make start` and `make test`. Everything else is their plumbing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/labelstudio
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1

.PHONY: start test lint js-test services browser install install-dev screenshots vendor

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

## Install and start on the embedded default (SQLite, no Redis, a worker beside gunicorn).
start: $(VENV)/.runtime
	$(PY) manage.py start $(ARGS)

## Start PostgreSQL and Redis if they are not running (they are on this kind of machine).
services:
	bash .ci/services.sh

## Debian's Chromium and its driver for the browser tests (never a downloaded browser).
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	LABELSTUDIO_DATA_DIR=$$(mktemp -d) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache
	LABELSTUDIO_DATA_DIR=$$(mktemp -d) $(VENV)/bin/mypy

js-test:
	node --test tests/js/

## The whole test suite: lint, migrations check, JS unit tests, Python tests on PostgreSQL + Redis
## (live tests start real workers, servers and SQLite instances themselves).
test: $(VENV)/.dev services browser
	bash ml_backends/examples/lsml/setup_venv.sh
	$(MAKE) lint
	$(MAKE) js-test
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_TASK_ALWAYS_EAGER=1 \
	FAST_PASSWORD_HASHER=1 LABELSTUDIO_DATA_DIR=$$(mktemp -d) $(VENV)/bin/pytest $(PYTEST_ARGS)
	# the same distribution, completion, project and ML tests on the embedded default (SQLite, no
	# Redis): the labeling loop's hand-written SQL has a PostgreSQL and a SQLite form
	CELERY_TASK_ALWAYS_EAGER=1 FAST_PASSWORD_HASHER=1 LABELSTUDIO_DATA_DIR=$$(mktemp -d) \
	$(VENV)/bin/pytest -q -m "not live and not browser" tests/annotators tests/projects tests/labelstudio tests/ml_backends

## Refresh docs/screenshots/*.png on purpose: the browser tests that call shoot() write there instead
## of the git-ignored build/screenshots/ (a plain test run never touches tracked files).
screenshots: $(VENV)/.dev services browser
	SCREENSHOTS_DIR=docs/screenshots DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	CELERY_TASK_ALWAYS_EAGER=1 FAST_PASSWORD_HASHER=1 LABELSTUDIO_DATA_DIR=$$(mktemp -d) \
	$(VENV)/bin/pytest -q -m browser tests/browser $(PYTEST_ARGS)

## Re-vendor pdf.js (static/vendor/pdfjs/) from the npm registry; commit the result.
vendor:
	npm install --no-save --no-audit --no-fund --prefix build/npm pdfjs-dist@5.4.394
	node static/labeling/tools/vendor-pdfjs.mjs build/npm
