# rebuild-lab: every target creates the virtual environment it needs, from the pinned files.
# Only Python 3.11+ and make are needed on the machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

# Stable, quiet kernels: no debugger warning about frozen modules, no per-run noise.
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

NBVAL_FLAGS := --nbval --nbval-current-env --nbval-cell-timeout=300 \
               --nbval-sanitize-with notebooks/nbval_sanitize.cfg

.PHONY: help lab test lint unit notebooks execute bench bench-tiny bench-full bench-reference \
        stress lock clean student site instructors check-student

help:
	@echo "make lab      - set up .venv and open JupyterLab on notebooks/"
	@echo "make test     - ruff, unit tests and every notebook under strict nbval"
	@echo "make stress   - the storage fault-injection tests, long profile (about 10 minutes)"
	@echo "make execute  - re-run every notebook in a fresh kernel, storing its outputs"
	@echo "make bench    - run the replay-cost benchmark (quick preset, a few minutes)"
	@echo "make bench-tiny / bench-full - the same with the tiny (seconds) or full preset"
	@echo "               (ENGINES=sqlite,postgres measures PostgreSQL too, in the same run)"
	@echo "make bench-reference - redo the committed reference run (full preset, both engines)"
	@echo "make lock     - rewrite constraints.txt after changing a pin in requirements.txt"
	@echo "make student  - build the student edition (no solutions, no outputs) and its zip in build/student/"
	@echo "make site     - build the static HTML reading edition in build/site/ (open build/site/index.html)"
	@echo "make instructors - rewrite the generated sections of INSTRUCTORS.md (checkpoint answers, estimates)"
	@echo "make check-student - run every student notebook and compare its outputs with the full notebook's"
	@echo "make clean    - remove .venv, caches and scratch files"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)

# Everything, the PostgreSQL driver and embedded server included, comes from requirements.txt;
# their environment markers skip them on machines without a wheel (README: PostgreSQL).
$(STAMP): requirements.txt constraints.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $(STAMP)

# JupyterLab's defaults for this pack (no news pop-up), in the venv's own settings folder;
# nothing in the home folder is touched. See jupyterlab/README.md.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(LAB_SETTINGS): jupyterlab/overrides.json | $(STAMP)
	mkdir -p $(dir $@)
	cp $< $@

# Jupyter refuses to run as root unless told; containers and some lab machines run as root.
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP) $(LAB_SETTINGS)
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/

lint: $(STAMP)
	$(BIN)/ruff check helpers tests notebooks scripts
	$(BIN)/ruff format --check helpers tests scripts

unit: $(STAMP)
	$(BIN)/pytest tests

notebooks: $(STAMP)
	$(BIN)/pytest $(NBVAL_FLAGS) $(NOTEBOOKS)

test: lint $(STAMP)
	$(BIN)/pytest $(NBVAL_FLAGS) tests $(NOTEBOOKS)

# The widget state is stored with the outputs (nbconvert's default), so that it names the
# models the stored outputs show. JupyterLab does not draw widgets from it: a notebook opened
# before it runs shows each checkpoint's text form ("[interactive form ... open in Jupyter to
# click]"), with or without the state; the state is for viewers that render saved widgets.
execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False \
	    $(if $(NB),$(NB),$(NOTEBOOKS))

# The editions (see scripts/editions/): built from the notebooks into build/, never committed.
student: $(STAMP)
	$(BIN)/python -m scripts.editions student --out build/student

site: $(STAMP)
	$(BIN)/python -m scripts.editions site --out build/site

instructors: $(STAMP)
	$(BIN)/python -m scripts.editions instructors

check-student: $(STAMP)
	$(BIN)/python -m scripts.editions check-student

# The fault-injection tests (tests/faults) with the long profile: 10,000 damaged stores and
# 100 SIGKILLed writers and projections. `make test` runs the same tests with a quick profile.
stress: $(STAMP)
	REBUILD_LAB_PROFILE=stress $(BIN)/pytest tests/faults -q -p no:cacheprovider

# The engines to measure: sqlite (runs everywhere), postgres, or both: make bench ENGINES=sqlite,postgres
ENGINES ?= sqlite

bench: $(STAMP)
	$(BIN)/python -m helpers.bench --preset quick --engines $(ENGINES)

bench-tiny: $(STAMP)
	$(BIN)/python -m helpers.bench --preset tiny --engines $(ENGINES)

bench-full: $(STAMP)
	$(BIN)/python -m helpers.bench --preset full --engines $(ENGINES)

# The committed reference run that notebook 06 shows beside yours (see its README): both
# engines, PostgreSQL on the embedded server (or REBUILD_LAB_POSTGRES_URL).
bench-reference: $(STAMP)
	$(BIN)/python -m helpers.bench --preset full --engines sqlite,postgres --out data/bench/reference

# Run it where every marker in requirements.txt holds (Linux x86_64, say), so that the
# PostgreSQL packages and what they pull in are pinned too.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	{ echo '# Every installed package, pinned: generated by `make lock` from requirements.txt. Do not edit by hand.'; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e '; } > constraints.txt
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info build
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
