# Two commands do everything on a fresh machine with Python 3.11 and pip:
#   make report   bootstrap .venv, install, check the shipped policies, write reports/
#   make test     bootstrap .venv, install, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: report test browser validate schema bench fuzz clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench,pdf]'
	@touch $(STAMP)

# The report templates compiled at install, as pip compiles Python (harmonize/reporting/compiled.py): again
# whenever a report template changes (a stale file is never used: that template is compiled in memory)
COMPILED := templates/_compiled/.made
$(COMPILED): $(STAMP) $(wildcard templates/report*.j2 templates/report/*.j2)
	$(BIN)/python -m harmonize.reporting.precompile templates/_compiled
	@touch $@

report: $(STAMP) $(COMPILED)
	$(BIN)/harmonize validate policies
	@mkdir -p reports
	$(BIN)/harmonize validate policies --format json > reports/validation.json.tmp && mv reports/validation.json.tmp reports/validation.json
	@echo "Wrote reports/validation.json"
	$(BIN)/harmonize report policies --out-dir reports --format all --lang all
	@if $(BIN)/python -m harmonize.reporting.pdf; then \
	  $(BIN)/harmonize report policies --out-dir reports --format pdf --lang all > /dev/null && echo "Wrote reports/report.{en,vi,lo,km}.pdf"; fi

validate: $(STAMP)
	$(BIN)/harmonize validate policies

schema: $(STAMP)
	for kind in policy catalogue park scenario parameters sources result report report-settings translations; do \
	  $(BIN)/harmonize schema --kind $$kind --out schema/$$kind.schema.json || exit 1; done

# The browser tests drive Debian's chromium through playwright's Python driver (no browser download),
# render Khmer reports with Debian's KhmerOS fonts and check accessibility with axe-core from the npm
# registry (installed into .venv/axe, test-only). The same chromium prints 'make report''s PDFs.
AXE_VERSION := 4.14.1

browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || echo "make: chromium is missing and could not be installed (apt-get needs root): the browser tests skip outside CI and fail in CI"
	@fc-list :lang=km 2>/dev/null | grep -q . || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-khmeros) \
	  || echo "make: no Khmer font and fonts-khmeros could not be installed (apt-get needs root): the Khmer browser test skips outside CI and fails in CI"
	@test -f $(VENV)/axe/node_modules/axe-core/axe.min.js || npm install --prefix $(VENV)/axe --no-audit --no-fund --silent axe-core@$(AXE_VERSION) \
	  || echo "make: axe-core could not be installed from the npm registry (npm is needed): the accessibility test skips outside CI and fails in CI"

# one worker per core, each test file on one worker (its module fixtures are built once); the slowest
# tests are listed so a test that grows shows in CI's log
test: $(STAMP) $(COMPILED) browser
	$(BIN)/python -m pytest -q -n auto --dist loadfile --durations=10

bench: $(STAMP) $(COMPILED)
	$(BIN)/python bench/run.py --out bench/RESULTS.md

fuzz: $(STAMP)
	$(BIN)/python bench/fuzz.py --iterations 1000
	$(BIN)/python bench/fuzz.py --iterations 200 --generated 3 200

clean:
	rm -rf $(VENV) reports .pytest_cache .hypothesis templates/_compiled
