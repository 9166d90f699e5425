# Studio Tree of Life: the two commands are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
RUN_STAMP  := $(VENV)/.requirements-installed
TEST_STAMP := $(VENV)/.requirements-test-installed
NODE_STAMP := node_modules/.installed-from-lock

.PHONY: run test bench lint messages install clean test-packages bench-packages

# System programs (test: PostgreSQL, Redis, Chromium, gettext, Java, Node.js; bench: PostgreSQL,
# Redis, wrk): installed with apt when missing and we are root, otherwise the one command to run is printed.
test-packages:
	@PYTHON=$(PYTHON) scripts/system-packages.sh test

bench-packages:
	@PYTHON=$(PYTHON) scripts/system-packages.sh bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUN_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(TEST_STAMP): requirements.txt requirements-test.txt | $(PY)
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@ $(RUN_STAMP)

# The browser-side test tools (axe-core, the W3C Nu HTML checker), pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json | test-packages
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

install: $(RUN_STAMP)

## make run: install, migrate the SQLite demo database, load the demo and serve it
run: $(RUN_STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compile_translations
	$(PY) manage.py demo
	$(PY) manage.py rundemo

## make test: the whole suite on throwaway PostgreSQL and Redis servers, with Chromium
## (make test ARGS="tests/classes -k dst" runs a part)
## (system packages first: it installs PostgreSQL, Redis, Chromium... when missing)
test: test-packages $(TEST_STAMP) $(NODE_STAMP)
	$(PY) manage.py compile_translations
	$(PY) -m pytest $(ARGS)

## make bench: throughput and latency figures, load from wrk (gunicorn + PostgreSQL + Redis on 127.0.0.1)
bench: bench-packages $(TEST_STAMP)
	$(PY) manage.py compile_translations
	$(PY) bench/run.py $(ARGS)

## make lint: style (ruff) and the import contracts in pyproject.toml (dependencies point down only)
lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

## make messages: refresh the Dutch and English catalogues after changing texts
messages: $(TEST_STAMP)
	$(PY) manage.py makemessages --locale nl --locale en --no-obsolete --ignore ".venv/*" --ignore "var/*" --ignore "devtools/*" --ignore "tests/*" --ignore "bench/*"
	$(PY) devtools/fill_english.py

clean:
	rm -rf var .pytest_cache test-artifacts
