# MPP Digital: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
UV_VERSION := 0.13.9
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint bench fmt messages clean

$(BIN)/.synced: pyproject.toml uv.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/pip install -q "uv==$(UV_VERSION)"
	$(BIN)/uv sync --frozen --python $(BIN)/python
	@touch $@

run: $(BIN)/.synced  ## set up everything and serve the platform with demo data
	$(BIN)/python -m scripts.dev run

test: $(BIN)/.synced  ## set up everything and run the whole suite (browser tests included)
	$(BIN)/python -m scripts.dev test $(ARGS)

lint: $(BIN)/.synced  ## ruff (lint + format), import contracts, mypy: all must be clean
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	MPP_ENV=test DATABASE_URL=postgres://lint@localhost/lint $(BIN)/mypy

fmt: $(BIN)/.synced
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(BIN)/.synced  ## make bench [NAME=provisioning]
	$(BIN)/python -m scripts.dev bench $(NAME)

messages: $(BIN)/.synced  ## extract and compile translations (needs gettext for extraction only)
	$(BIN)/python -m scripts.dev messages

clean:
	rm -rf $(VENV) .data
