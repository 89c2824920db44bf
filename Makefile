# Headwater: `make demo` to try it, `make test` to check it. Both are safe to run again.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HW := $(BIN)/headwater
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_WORKERS ?= 3
export HEADWATER_VAR_DIR ?= $(CURDIR)/var

.PHONY: demo test install install-dev assets messages migrate serve lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.base: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: requirements/dev.txt $(VENV)/.base
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

headwater/static/dist/.built: node_modules/.package-lock.json frontend/build.mjs
	npm run --silent build
	touch $@

install: $(VENV)/.base assets messages
install-dev: $(VENV)/.dev assets messages
assets: headwater/static/dist/.built

messages: $(VENV)/.base
	cd headwater && ../$(HW) compilemessages --verbosity 0

migrate: install
	$(HW) migrate --no-input --verbosity 0

## demo: install, migrate, build the demo organization (kept if it exists), serve with the worker.
demo: migrate
	$(HW) demo
	DEBUG=false $(HW) collectstatic --no-input --verbosity 0
	$(MAKE) --no-print-directory serve

## serve: the application server and the task worker side by side; Ctrl-C stops both.
serve:
	@echo "Headwater on http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=false $(HW) run_huey --logfile $(HEADWATER_VAR_DIR)/huey.log & \
	DEBUG=false $(BIN)/gunicorn headwater.wsgi --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) \
	  --access-logfile - --log-level warning & \
	wait

## test: everything the tests need, then the whole suite (browser tests included).
test: install-dev
	$(HW) makemigrations --check --dry-run --verbosity 0
	$(BIN)/ruff check headwater bench
	$(BIN)/pytest -n 2 --dist loadfile -q -rfEs $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check headwater bench
	$(BIN)/ruff format --check headwater bench

clean:
	rm -rf $(VENV) node_modules headwater/static/dist var/staticfiles
