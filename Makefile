# One command each: `make book` builds the book, `make test` runs every test. Both set up .venv first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Written after a successful install; older than requirements.txt or pyproject.toml means reinstall.
INSTALLED := $(VENV)/.installed

# JupyterLab and jupytext for `make lab`: pinned apart from the book's requirements, installed on demand.
LAB_INSTALLED := $(VENV)/.lab-installed
# Where JupyterLab reads settings overrides; binder/overrides.json makes jupytext's notebook the default viewer.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
LAB_ARGS ?=

# Debian's Chromium, for the browser tests (Playwright drives it; no browser is downloaded).
CHROMIUM ?= $(or $(COMPENDIUM_CHROMIUM),/usr/bin/chromium)

.PHONY: help setup browser book pdf lab test chapter check record-figures bench clean lock-data lock-deps lock-lab

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

setup: $(INSTALLED) ## Create .venv and install the pinned requirements (only when they changed)

# The build command, its flags and its list of inputs are defined once, in src/bookbuild/project.py: the data
# are checked first, nothing is done when no input changed, notebooks execute on both cores, then a strict build.
book: $(INSTALLED) ## Build the whole book into _build/html (data checked first; strict; cached execution)
	$(BIN)/python -m bookbuild.build

# The whole book as one PDF: a single-page build (same cache), printed by Debian's Chromium through Playwright.
pdf: $(INSTALLED) ## Build the book, then print it whole to _build/pdf/compendium.pdf (tagged, with bookmarks); the site then offers it
	@[ -x "$(CHROMIUM)" ] || { echo "Chromium is not installed at $(CHROMIUM): run \`make browser\`."; exit 1; }
	COMPENDIUM_CHROMIUM=$(CHROMIUM) $(BIN)/python -m bookbuild.pdf

# Installed only from requirements-lab.txt, with --no-deps: the file pins everything JupyterLab needs.
$(LAB_INSTALLED): requirements-lab.txt binder/overrides.json $(INSTALLED)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-lab.txt
	$(BIN)/python -m pip check
	mkdir -p $(LAB_SETTINGS)
	cp binder/overrides.json $(LAB_SETTINGS)/overrides.json
	touch $@

lab: $(LAB_INSTALLED) ## Install JupyterLab and jupytext (requirements-lab.txt) and start JupyterLab; chapters open as notebooks
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(LAB_ARGS)

browser: ## Install Debian's Chromium for the browser tests (needs root and the package index)
	@[ -x "$(CHROMIUM)" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Tests reach no network: a missing Chromium is reported (and fails under CI), never installed from here.
test: $(INSTALLED) ## Run all tests: data, helpers, chapters' numbers, strict builds, browser
	@[ -x "$(CHROMIUM)" ] || echo "Chromium is not installed: the browser tests will be skipped (run \`make browser\`)."
	$(BIN)/python -m pytest

check: $(INSTALLED) ## Rebuild from an empty cache; trace every figure's data, compare figure hashes, test glued numbers
	$(BIN)/python -m bookbuild.checks

record-figures: $(INSTALLED) ## After an intended visual change: record the fresh build's figure hashes
	$(BIN)/python -m bookbuild.checks --record

bench: $(INSTALLED) ## Time cold and incremental builds (prose, code, data, tooling); print the ratios
	$(BIN)/python -m bookbuild.bench

chapter: $(INSTALLED) ## Start a new chapter from the template: make chapter name=my-analysis
	$(BIN)/python -m bookbuild.newchapter "$(name)"

clean: ## Remove _build (the book, the generated figures and the execution cache)
	rm -rf _build

lock-data: $(INSTALLED) ## Re-record the sha256 of every data file after a deliberate edit (refused if a file breaks its schema)
	$(BIN)/python -m bookbuild.lockdata

lock-lab: $(INSTALLED) ## Re-resolve requirements-lab.txt from its JupyterLab and jupytext pins (needs the network)
	$(BIN)/python -m bookbuild.lablock

lock-deps: ## Re-resolve pyproject.toml's ranges into requirements.txt (needs the network)
	rm -rf /tmp/compendium-lock && $(PYTHON) -m venv /tmp/compendium-lock
	/tmp/compendium-lock/bin/pip install --quiet -e '.[test]'
	/tmp/compendium-lock/bin/pip freeze --exclude-editable | grep -v '^integration-compendium' > requirements.txt
	@! grep -nE '://|@ ' requirements.txt || (echo "requirements.txt must hold names and versions only" && false)
