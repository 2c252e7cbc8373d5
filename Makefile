# Set-up and daily commands. `make run` and `make test` are all a fresh machine needs (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8050
DEMO_DIR := data/demo
# The demo has its own warehouse: data/warehouse.sqlite is the default of a town's real `engage run`.
WAREHOUSE := data/demo.sqlite

.PHONY: setup test-deps run demo warehouse serve test lint notebooks bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

test-deps: $(VENV)/.test-installed

$(VENV)/.test-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

demo: setup
	$(BIN)/engage demo --out $(DEMO_DIR)

warehouse: demo
	$(BIN)/engage run $(DEMO_DIR) --db sqlite:///$(WAREHOUSE)

run: warehouse
	$(BIN)/engage serve --db sqlite:///$(WAREHOUSE) --port $(PORT)

lint: test-deps
	$(BIN)/ruff check .

test: test-deps lint
	DASH_TEST_CHROMEPATH=/usr/bin/chromium $(BIN)/pytest

notebooks: warehouse
	$(BIN)/pip install --quiet -e ".[notebooks]"
	ENGAGE_DATABASE_URL=sqlite:///$(CURDIR)/$(WAREHOUSE) $(BIN)/jupyter lab --notebook-dir=notebooks

bench: test-deps
	$(BIN)/python bench/etl.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/browser.py --db sqlite:///$(CURDIR)/bench/out/wh.sqlite  # the warehouse dashboard.py wrote
	$(BIN)/python bench/load.py --users 50 --duration 60
	$(BIN)/python bench/load.py --users 200 --duration 20

clean:
	rm -rf $(VENV) $(DEMO_DIR) $(WAREHOUSE) tests/artifacts
