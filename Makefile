# Two commands on a fresh machine: `make build` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test lint serve check screenshots clean

build: $(STAMP)  ## check data/ and build the site into site/
	$(BIN)/board check
	$(BIN)/board build

test: $(STAMP)  ## the whole suite: lint, types, unit, build and browser tests
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy
	$(BIN)/pytest

check: $(STAMP)  ## validate data/ only
	$(BIN)/board check

serve: $(STAMP)  ## live preview; rebuilds only the pages an edit of content/ or data/ changes
	$(BIN)/board serve

screenshots: $(STAMP)  ## every page type at desktop and phone width (and print) into screenshots/
	$(BIN)/python -m tests.screenshots --out screenshots

clean:
	rm -rf site site.staging-* site.old-* .pytest_cache .mypy_cache .ruff_cache screenshots

# The virtual environment with the pinned dependencies; redone when the pins change.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)
