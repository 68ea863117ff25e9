# Two commands a newcomer needs (see README.md):
#   make report   the library's report on the embedded London programme
#   make test     every check the project holds itself to
# Both build the pinned development environment in .venv first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DIST := dist

.PHONY: report test fuzz mutation mutation-continue mutation-run schemas areas check-tests check-types check-lint check-docs check-package bench bench-quick fuzz lock clean

$(STAMP): requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/cse-programme report

test: $(STAMP)
	$(MAKE) --no-print-directory check-lint check-types check-tests check-docs check-package

check-lint: $(STAMP)
	$(BIN)/ruff check src tests docs benchmarks tools
	$(BIN)/ruff format --check src tests docs benchmarks tools

check-types: $(STAMP)
	$(BIN)/mypy

check-tests: $(STAMP)
	$(BIN)/pytest

check-docs: $(STAMP)
	rm -rf docs/_build
	$(BIN)/sphinx-build -W --keep-going -n -q -b html docs docs/_build/html

# Build the sdist and wheel, check their metadata, then install the wheel
# alone into a fresh environment and import every module it ships.
check-package: $(STAMP)
	rm -rf $(DIST) $(VENV)-wheel
	$(BIN)/python -m build --no-isolation --outdir $(DIST) .
	$(BIN)/twine check --strict $(DIST)/*
	$(PYTHON) -m venv $(VENV)-wheel
	$(VENV)-wheel/bin/python -m pip install --quiet --upgrade pip==25.3
	$(VENV)-wheel/bin/python -m pip install --quiet --constraint requirements/dev.txt $(DIST)/*.whl
	cd $(DIST) && ../$(VENV)-wheel/bin/python ../tests/wheel_smoke.py
	rm -rf $(VENV)-wheel

# A long campaign of hostile input against the loaders (100,000 examples a test),
# then the attack on disclosure control (2,000 releases, 20,000 tables).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider -q --durations=0 \
		-k "mutations or truncated" & first=$$!; \
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider -q --durations=0 \
		-k "not (mutations or truncated)"; second=$$?; \
	wait $$first && test $$second -eq 0
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_disclosure.py -p no:cacheprovider -q \
		--durations=0 -k "narrowed or needed"

# Mutation testing of the model, serialisation, analysis, interop, privacy and
# datasets layers (see docs/testing).  The copied tests find the official
# standards through CSE_STANDARDS_DIR, since they run from mutants/.  Each run
# keeps its verdicts in docs/explanation/mutation-record.json (commit it with
# the testing page); mutation-continue carries a run on from that record, and
# mutants with a verdict keep it unless their function changed.
mutation: $(STAMP)
	rm -rf mutants
	$(MAKE) --no-print-directory mutation-run

mutation-continue: $(STAMP)
	$(BIN)/python tools/mutation_record.py restore
	$(MAKE) --no-print-directory mutation-run

mutation-run: $(STAMP)
	HYPOTHESIS_PROFILE=mutation CSE_STANDARDS_DIR=$${CSE_STANDARDS_DIR:-$(CURDIR)/../shared/standards} \
		$(BIN)/mutmut run
	$(BIN)/python tools/mutation_record.py save
	$(BIN)/mutmut results
	$(BIN)/python tools/mutation_record.py table

# Rebuild the package's table of districts and police force areas from the
# ONS lookup in the shared standards (see docs/explanation/model.rst).
ONS_LOOKUP ?= ../shared/standards/ons/lad_to_pfa_december_2024.csv
areas: $(STAMP)
	$(BIN)/python tools/area_table.py $(ONS_LOOKUP) src/cse_programme/model/data/areas.json

# Regenerate the JSON Schemas shipped in the package after changing the model.
schemas: $(STAMP)
	$(BIN)/python -c "from cse_programme._serialisation._schema import write_schemas; write_schemas('src/cse_programme/schemas')"

# Compare with pydantic and msgspec (pinned in requirements/dev.txt, never
# runtime dependencies), each in fresh processes; run it on a quiet machine.
# The tables go to benchmarks/results/performance.txt, which the performance
# page includes: commit it to update the page.  bench-quick checks the bench
# itself on small files in a minute or so (its figures mean little).
bench: $(STAMP)
	mkdir -p benchmarks/results
	$(BIN)/python benchmarks/run.py --out benchmarks/results/performance.txt
	$(BIN)/python benchmarks/profiles.py --out benchmarks/results/profile.txt
	$(BIN)/python benchmarks/limits.py --out benchmarks/results/limits.txt
	$(BIN)/python benchmarks/disclosure.py

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick

lock:
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet --upgrade pip==25.3
	$(VENV)-lock/bin/python -m pip install --quiet -r requirements/dev.in
	( echo "# Pinned development environment, generated from dev.in by \`make lock\`."; \
	  $(VENV)-lock/bin/python -m pip freeze --all | grep -vE '^(pip|setuptools|wheel)==' ) > requirements/dev.txt
	rm -rf $(VENV)-lock

clean:
	rm -rf $(VENV) $(VENV)-wheel $(DIST) docs/_build .mypy_cache .pytest_cache .ruff_cache .hypothesis
