# The two commands a new user needs: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= eventcoder.duckdb

.PHONY: demo serve test install lint eval clean

$(BIN)/eventcoder: pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(BIN)/eventcoder

install: $(BIN)/eventcoder

## Set up, ingest the bundled example articles into ./eventcoder.duckdb and print a summary.
demo: install
	$(BIN)/eventcoder ingest examples/articles --db $(DB)
	$(BIN)/eventcoder events --db $(DB) --format table --limit 40

## Open the dashboard on the demo database (http://127.0.0.1:8000/).
serve: install
	$(BIN)/eventcoder serve --db $(DB)

## Run the test suite (what CI runs).
test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/mypy src

eval: install
	$(BIN)/eventcoder eval --gate

clean:
	rm -rf $(VENV) $(DB) .pytest_cache
