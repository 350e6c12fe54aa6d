# The README's two commands: `make demo` (run the portal with demo data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DATABASE_URL_TEST ?= postgres://postgres@127.0.0.1:5432/frontline_voice
REDIS_URL_TEST ?= redis://127.0.0.1:6379/15
# The suite runs in this many processes (pytest-xdist), each with its own test database.
TEST_WORKERS ?= 2
# `make demo` listens on HOST:PORT; only this machine can reach it unless HOST says
# otherwise (HOST=0.0.0.0 for every interface). Links in e-mails follow SITE_URL,
# which defaults to the address the demo listens on.
PORT ?= 8000
HOST ?= 127.0.0.1
HOST_IN_URL = $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST))
SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),localhost,$(HOST_IN_URL)):$(PORT)

.PHONY: demo test test-embedded install services messages messages-extract lint

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

messages: install
	cd portal && ../$(PY) ../manage.py compilemessages -v0

demo: messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	SITE_URL='$(SITE_URL)' $(PY) manage.py runserver $(HOST_IN_URL):$(PORT)

messages-extract: install
	$(PY) manage.py makemessages -l ar --no-location --ignore '.venv/*' --ignore 'tests/*'

services:
	bash .ci/services

test: messages services
	DATABASE_URL=$${DATABASE_URL:-$(DATABASE_URL_TEST)} \
	TEST_REDIS_URL=$${TEST_REDIS_URL:-$(REDIS_URL_TEST)} \
	$(VENV)/bin/pytest --create-db -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The suite once more on the embedded default (SQLite, Celery in-process): the README's
# first command stays honest. Tests marked postgres, redis or worker are skipped here only.
test-embedded: messages
	env -u DATABASE_URL -u TEST_REDIS_URL -u CELERY_BROKER_URL \
	$(VENV)/bin/pytest --create-db -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
