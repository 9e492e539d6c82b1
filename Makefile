# One obvious way to run things. `make run` and `make test` work on a fresh machine with Python 3.11.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Open mode (no identity provider in .streamlit/secrets.toml) listens on this computer only.
ADDRESS ?= $(shell grep -qs '^\[auth' .streamlit/secrets.toml && echo 0.0.0.0 || echo 127.0.0.1)
CHROMIUM ?= /usr/bin/chromium
# Unit and page (AppTest) tests run in this many processes; the browser tests run after them, alone
# (their timings are a person's: a second process would slow the pages they wait for).
TEST_WORKERS ?= 2

.PHONY: run test test-unit test-app test-e2e lint format bench bench-live venv dev-deps browser postgres clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.dev-installed: requirements.txt requirements-dev.txt $(BIN)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

dev-deps: $(BIN)/.dev-installed

## Debian's Chromium for the browser tests (never `playwright install`: it downloads a browser).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	    || { echo "could not install chromium (are you root?)"; [ -z "$$CI" ] || exit 1; }; \
	fi

## Debian's PostgreSQL server for the storage tests: they start a throwaway server of their own
## (initdb on a temporary folder, a free loopback port) and stop it afterwards; no service is enabled.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installing Debian's postgresql for the storage tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) \
	    || { echo "could not install postgresql (are you root?)"; [ -z "$$CI" ] || exit 1; }; \
	fi

## `browser` too: the journey map's PNG export renders with Chromium (kaleido).
run: venv browser
	$(BIN)/python -m streamlit run app.py --server.port=$(PORT) --server.address=$(ADDRESS)

test: dev-deps browser postgres
	@rc=0; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) tests/unit tests/app cjm || rc=$$?; \
	$(BIN)/python -m pytest tests/e2e || rc=$$?; \
	exit $$rc

test-unit: dev-deps postgres
	$(BIN)/python -m pytest -n $(TEST_WORKERS) tests/unit

test-app: dev-deps
	$(BIN)/python -m pytest -n $(TEST_WORKERS) tests/app

test-e2e: dev-deps browser postgres
	$(BIN)/python -m pytest tests/e2e

lint: dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Every bench/bench_*.py prints its own figures. BENCH_SMALL=1 runs them on small inputs.
bench: dev-deps postgres
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## How fast a saved change reaches other browsers (editor and presenter, SQLite and PostgreSQL):
## median, p95 and where the time went, with the machine's load; about three minutes.
bench-live: dev-deps browser postgres
	$(BIN)/python bench/bench_live.py latency

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
