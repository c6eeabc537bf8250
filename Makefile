# replicate-kit developer commands. `make help` lists them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export GRPC_VERBOSITY ?= ERROR
# grpc/grpc#43055: with fork support on, a fork+exec child of a process using gRPC can crash.
export GRPC_ENABLE_FORK_SUPPORT ?= false
HANDWRITTEN := $(wildcard replicate_kit mock_server tests scripts bench)

.PHONY: help setup gen check-gen gen-models lint test test-py test-ts run bench profile

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## build .venv and node_modules from pyproject.toml and package-lock.json (quick when done)
	@bash scripts/setup.sh

gen: setup ## regenerate generated/ from openapi/ and proto/
	@$(PY) scripts/gen.py

check-gen: setup ## fail if generated/ differs from what the schemas produce
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(PY) scripts/gen.py --out $$tmp >/dev/null && \
	if diff -r -q generated $$tmp/generated; then echo "check-gen: generated/ is up to date"; \
	else echo "check-gen: generated/ drifted from the schemas: run 'make gen' and commit" >&2; exit 1; fi

# The pinned versions of models.toml are the mock's built-in models: without REPLICATE_BASE_URL a
# local mock serves their schemas, so this works offline.
define GEN_MODELS_WITH_MOCK
import subprocess, sys
from mock_server import MockServer
with MockServer(seed=0) as mock:
    sys.exit(subprocess.call(["replicate-kit", "--base-url", mock.url, "--token", "r8_gen_models",
                              "gen-types", "--models", "models.toml", "--lang", sys.argv[1]]))
endef
export GEN_MODELS_WITH_MOCK

gen-models: setup ## typed stubs (py + ts) of the models pinned in models.toml, into build/typed/
	@for lang in py ts; do \
	  if [ -n "$$REPLICATE_BASE_URL" ]; then replicate-kit gen-types --models models.toml --lang $$lang || exit 1; \
	  else $(PY) -c "$$GEN_MODELS_WITH_MOCK" $$lang || exit 1; fi; \
	done

lint: setup ## ruff, mypy --strict, import-linter layers, buf lint, buf breaking against HEAD
	@ruff check $(HANDWRITTEN)
	@ruff format --check $(HANDWRITTEN)
	@mypy
	@lint-imports --no-cache >/dev/null || lint-imports --no-cache
	@cd proto && buf lint
	@cd proto && buf breaking --against '../.git#ref=HEAD,subdir=proto'
	@echo "lint: ok"

test: setup lint check-gen ## set up, lint, check generated code, run every test
	@$(PY) -m pytest
	@$(MAKE) --no-print-directory test-ts

test-py: setup ## run only the Python tests (no lint)
	@$(PY) -m pytest

test-ts: setup ## build the TypeScript client (ts/) and run its tests against a mock it starts (~15 s idle; stopped at 120 s)
	@npm test --workspace ts --silent

run: setup ## set up, start the mock, run a prediction and a token stream through the client
	@$(PY) scripts/demo.py

bench: setup ## run the benchmarks (bounded; 127.0.0.1 only) and write bench/results/
	@$(PY) bench/run.py

profile: setup ## py-spy the mock under GET and POST load; bench/results/profile-*.txt + top functions
	@$(PY) bench/profile.py
