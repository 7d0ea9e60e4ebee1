# Two commands on a fresh machine: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
DATASET ?= catalog/data/goodbooks-10k

.PHONY: run test lint format setup db ci bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

db: $(STAMP)
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable

run: db
	$(MANAGE) ensure_local_admin
	$(MANAGE) load_demo_data --dataset $(DATASET)
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(MANAGE) run_worker & WORKER=$$!; trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	  echo "Folio: http://$(HOST):$(PORT)/  admin: http://$(HOST):$(PORT)/admin/  API docs: http://$(HOST):$(PORT)/api/v1/docs/"; \
	  $(MANAGE) runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

ci:
	bash .ci/run

bench: $(STAMP)
	$(BIN)/python bench/import_books.py
	$(BIN)/python bench/import_ratings.py
	$(BIN)/python bench/admin_pages.py
	$(BIN)/python bench/rate_limits.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) var
