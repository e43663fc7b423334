# Heard: the single entry point. `make run` starts Heard locally, `make test` runs the offline suite.
# Each target does its own set-up the first time (virtualenv, Python and npm packages, browser).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      ?= .venv
PYTHON312 := $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) $(shell command -v python3.12 2>/dev/null))
BASE_PY   ?= $(if $(PYTHON312),$(PYTHON312),python3)
PY        := $(VENV)/bin/python
UV        := $(VENV)/bin/uv
STAMP     := $(VENV)/.installed
CHROMIUM  ?= /usr/bin/chromium
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(BASE_PY) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install -q --disable-pip-version-check uv
	$(UV) pip install -q --python $(PY) -e ".[local,cdk,dev]"
	$(UV) pip install -q --python $(PY) --no-deps $$($(PY) -c 'from infra.bundling import no_deps_packages; print(*no_deps_packages())')
	@touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: setup
setup: $(STAMP) ## create the virtualenv and install Python packages

.PHONY: browser
browser: ## install Debian's Chromium for the browser tests (once)
	@test -x $(CHROMIUM) || { echo "installing chromium (Debian package)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

.PHONY: run
run: $(STAMP) ## start Heard locally: embedded AWS emulation, demo users, console on port 8000 (set HEARD_PORT for another)
	$(PY) -m infra.local $(RUN_ARGS)

.PHONY: demo
demo: $(STAMP) ## like run, and replay a stream of realistic social posts as signed webhooks
	$(PY) -m infra.local --demo $(RUN_ARGS)

.PHONY: test
test: $(STAMP) node_modules/.installed browser ## the whole offline suite: lint, unit, integration, infra, e2e, browser
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest tests/unit tests/integration -q -p no:cacheprovider -n 2
	$(PY) -m pytest tests/infra -q -p no:cacheprovider -n 2 --dist loadfile
	HEARD_FUZZ_EXAMPLES=$(or $(EXAMPLES),2) $(PY) -m pytest tests/e2e -q -p no:cacheprovider -n 2 --dist loadfile
	$(MAKE) --no-print-directory openapi-check

.PHONY: fuzz
fuzz: $(STAMP) ## schemathesis against the local stack, longer than in `make test` (EXAMPLES per operation)
	HEARD_FUZZ_EXAMPLES=$(or $(EXAMPLES),50) $(PY) -m pytest tests/e2e/test_schemathesis.py -q -p no:cacheprovider -s

.PHONY: unit
unit: $(STAMP) ## fast tests only (no network)
	$(PY) -m pytest tests/unit -q

.PHONY: lint
lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy shared functions infra bench

.PHONY: openapi
openapi: $(STAMP) ## regenerate docs/openapi.json from the API's routes
	$(PY) -m functions.api.openapi > docs/openapi.json

.PHONY: openapi-check
openapi-check: $(STAMP) ## fail when docs/openapi.json is out of date
	@$(PY) -m functions.api.openapi | diff -u docs/openapi.json - && echo "openapi.json is up to date"

.PHONY: synth
synth: $(STAMP) node_modules/.installed ## synthesise the CloudFormation template offline into cdk.out/
	npx cdk synth --quiet
	@echo "template: cdk.out/Heard.template.json"

.PHONY: deploy
deploy: $(STAMP) node_modules/.installed ## deploy to the AWS account in your environment
	npx cdk deploy

.PHONY: train
train: $(STAMP) ## retrain the learned triage model (DATA=../shared/data: TweetEval val + the care posts' development half)
	@$(PY) -m infra.cli train --sentiment $(or $(DATA),../shared/data)/tweeteval-sentiment/val \
		--sentiment bench/data/care_posts.jsonl --complaint bench/data/care_posts.jsonl --half development \
		--licence "TweetEval sentiment val (cardiffnlp/tweeteval): released without restrictions; Twitter's terms may apply" \
		--licence "bench/data/care_posts.jsonl: written by the Heard team, Apache-2.0"

.PHONY: bench
bench: $(STAMP) ## benchmarks: triage quality/speed, ingest cost, the local stack under 10,000 deliveries, a month's report at 100,000 and 1,000,000 cases (DATA=labelled data dir, OUT=results.json, REPORT_CASES=one size)
	@$(PY) -m bench $(if $(DATA),--data $(DATA)) $(if $(OUT),--out $(OUT)) $(if $(REPORT_CASES),--report-cases $(REPORT_CASES))

.PHONY: clean
clean: ## remove build outputs (keeps the virtualenv)
	rm -rf cdk.out .build .pytest_cache
