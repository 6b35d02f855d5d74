# Zhixing — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgres lint bench bench-cases bench-flow clean help

help:
	@echo "make run    — install, migrate, load the demo court and serve on http://127.0.0.1:8000"
	@echo "make test   — install test needs and run the whole suite (SQLite, then PostgreSQL when it answers)"
	@echo "make lint   — ruff and import-linter"

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test,dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py serve --addr 127.0.0.1:8000

test: $(STAMP)
	$(PY) scripts/run_tests.py

test-sqlite: $(STAMP)
	$(PY) scripts/run_tests.py --only sqlite

test-postgres: $(STAMP)
	$(PY) scripts/run_tests.py --only postgres

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) bench/audit_chain.py --records 1000000

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/zhixing_bench
bench-cases: $(STAMP)
	$(PY) bench/cases_load.py --cases 1000000 --database-url $(BENCH_DATABASE_URL) --drop

BENCH_FLOW_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/zhixing_bench_f
bench-flow: $(STAMP)
	$(PY) bench/flow_sweep.py --database-url $(BENCH_FLOW_DATABASE_URL) --drop

clean:
	rm -rf $(VENV) var/static
