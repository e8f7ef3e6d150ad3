# The dossier's commands. On a fresh machine: `make book`, then `make test`.
# Every target creates .venv from requirements.txt first if it is missing or out of date.

# PYTHON: the interpreter the environment is made with (tested: 3.11, 3.12, 3.13), e.g.
#   make test PYTHON=python3.13
# VENV: where (default .venv). A venv made with another Python version than PYTHON's is made again,
# so keep one per version with VENV=.venv-3.13 if you switch often.
PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
STAMP   := $(VENV)/.installed-$(PY_VERSION)
RAW     := data/raw/almayadeen-2023-04-20-pakistan-approach-to-afghanistan.txt
NOTEBOOKS := $(sort $(wildcard book/*.ipynb book/instructor/*.ipynb))
JOBS    ?= 2

.PHONY: help venv node book instructor handouts lms test unit nbval browser data geodata execute lab bench lock clean

help:
	@echo "make book        build the student edition into _build/html"
	@echo "make instructor  build the instructor edition into _build/instructor/html"
	@echo "make handouts    print the pack of PDFs into _build/handouts and link it from both editions"
	@echo "make lms         the question bank for LMSs (Moodle XML, GIFT, QTI 1.2) into _build/lms"
	@echo "make test        unit tests, strict nbval, both book builds, browser test"
	@echo "make execute     re-execute every notebook in place (after a data or code change)"
	@echo "make data        regenerate data/ from data/raw/ with the extractor"
	@echo "make lab         open the notebooks in Jupyter Lab with the project's environment"
	@echo "make bench       time extraction, builds and nbval; size of each built page"

venv: $(STAMP)

# Jupyter Lab's defaults for this environment (scripts/lab-overrides.json): no news or update
# checks, which would reach for the network.
$(STAMP): requirements.txt pyproject.toml scripts/lab-overrides.json
	@test -n "$(PY_VERSION)" || { echo "make: PYTHON=$(PYTHON) is not a Python interpreter" >&2; exit 1; }
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$(PY_VERSION)" ]; then \
	  echo "$(VENV) holds another Python: making it again with $(PYTHON) ($(PY_VERSION))"; rm -rf $(VENV); fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp scripts/lab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

# The Node packages the tests use (gift-pegjs reads the GIFT export back), installed exactly as
# package-lock.json pins them, from the npm registry. Needs node and npm (apt-get install nodejs npm).
NODE_STAMP := node_modules/.package-lock.json
node: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

book: $(STAMP)
	$(BIN)/python scripts/build_book.py student
	@echo "Student edition: open file://$(CURDIR)/_build/html/index.html"

instructor: $(STAMP)
	$(BIN)/python scripts/build_book.py instructor
	@echo "Instructor edition: open file://$(CURDIR)/_build/instructor/html/index.html"

# The printed pack (scripts/make_handouts.py, dossier.handouts). The PDFs are printed from the built
# books, and the books link the PDFs: so both editions are built, the pack is printed into
# _build/handouts/{student,instructor}/, and both editions are built again, warm, which links the
# PDFs and copies them into each site's handouts/ folder (the student site gets the student PDFs
# only). A plain `make book` lists the pack without links until the PDFs exist; after that it links
# whatever `make handouts` last printed. Needs Debian's chromium (or CHROMIUM=/path).
handouts: $(STAMP)
	$(MAKE) --no-print-directory -j2 book instructor
	$(BIN)/python scripts/make_handouts.py
	$(MAKE) --no-print-directory -j2 book instructor

# The self-checks of data/quiz.yml for a learning management system: Moodle XML, GIFT and a QTI 1.2
# package, into _build/lms/ (dossier.lms). `make instructor` writes them too: its question bank
# page links them.
lms: $(STAMP)
	$(BIN)/python scripts/make_lms.py

# The extracted data, then the enums of data/datapackage.json (from themes.yml and style.yml).
data: $(STAMP)
	$(BIN)/python scripts/extract_article.py $(RAW) --out data
	$(BIN)/python scripts/update_schema.py

geodata: $(STAMP)
	$(BIN)/python scripts/build_geodata.py

execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py $(NOTEBOOKS)

unit: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n $(JOBS) tests

nbval: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --nbval book

# The tests read the built books, so both editions are built first, side by side (with -W: a
# warning fails). Then one pytest run: the unit and browser tests and strict nbval, spread over
# $(JOBS) processes, a file (a test module, a notebook) to a process, the longest files first.
test: $(STAMP) $(NODE_STAMP)
	$(MAKE) --no-print-directory -j2 book instructor
	$(BIN)/python -m pytest -n $(JOBS) --nbval tests/test_lab.py tests/test_handouts.py tests/test_browser_pages.py tests book

# Jupyter Lab on the notebooks. The notebooks are trusted first (their stored maps and outputs
# then show without re-running anything); Jupyter refuses to run as root unless told, and
# containers often run as root. LAB_ARGS goes to `jupyter lab`, e.g.
#   make lab LAB_ARGS="--no-browser --port 8899 --IdentityProvider.token=secret"
# Lab is told not to look for news or updates: classrooms are often offline.
LAB_ARGS ?=
LAB_OFFLINE := --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate
lab: $(STAMP)
	$(BIN)/jupyter trust $(NOTEBOOKS)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_OFFLINE) $(LAB_ARGS) book/

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

lock:
	$(PYTHON) -m venv /tmp/dossier-lock-venv
	/tmp/dossier-lock-venv/bin/python -m pip install --quiet -r requirements.in -e .
	{ echo "# Full lock of the dossier's Python environment: generated by \`make lock\` from requirements.in."; \
	  echo "# Python 3.11. Do not edit by hand; edit requirements.in and run \`make lock\`."; \
	  echo "-e ."; \
	  /tmp/dossier-lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' | LC_ALL=C sort -f; } > requirements.txt
	rm -rf /tmp/dossier-lock-venv

clean:
	rm -rf _build
