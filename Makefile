# One command per job. Every target installs what it needs into .venv first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint typecheck bench bench-10m bench-peers fuzz package smoke debian-test build-db check clean

$(STAMP): pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=23"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements/constraints.txt -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)  ## install, then open Explorer on the bundled dataset
	QT_QPA_PLATFORM= $(BIN)/explorer

test: $(STAMP)  ## install, then run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench packaging
	$(BIN)/ruff format --check src tests bench packaging
	$(BIN)/lint-imports
	$(BIN)/mypy

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/window.py
	$(BIN)/python bench/crash_notes.py --kills 200
	$(BIN)/python bench/crash_imports.py --kills 200
	$(BIN)/python bench/scale.py --sizes 10000,100000,1000000 --keep bench/.projects
	$(BIN)/python bench/bytes.py bench/.projects/demo-1000000.db
	$(BIN)/python bench/scale_ui.py bench/.projects/demo-1000000.db
	$(BIN)/python bench/process.py bench/.projects/demo-1000000.db
	$(BIN)/python bench/views.py --sizes 10000,100000,1000000 --projects bench/.projects

bench-10m: $(STAMP)  ## opt-in, takes minutes: the 1M tables at ten million events (a 3.5 GB project)
	$(BIN)/python bench/scale.py --sizes 10000000 --keep bench/.projects
	$(BIN)/python bench/bytes.py bench/.projects/demo-10000000.db
	$(BIN)/python bench/scale_ui.py bench/.projects/demo-10000000.db
	$(BIN)/python bench/process.py bench/.projects/demo-1000000.db bench/.projects/demo-10000000.db

bench-peers: $(STAMP)  ## opt-in: Explorer beside vis-timeline and TimelineJS in headless Chromium
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	command -v npm >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	cd bench/peers && npm ci --no-audit --no-fund
	$(BIN)/python bench/peers.py

FUZZ_SECONDS ?= 60
fuzz: $(STAMP)  ## coverage-guided fuzzing of every import reader (atheris), FUZZ_SECONDS each
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements/constraints.txt -e ".[fuzz]"
	for f in timelinejs timelinejs-csv timeline timesketch timesketch-csv ics explorer-json; do \
		$(BIN)/python fuzz/fuzz_readers.py -max_total_time=$(FUZZ_SECONDS) -- $$f || exit 1; \
	done

build-db: $(STAMP)  ## rebuild data/explorer.db from data/curated/
	$(BIN)/explorer build-db

check: $(STAMP)
	$(BIN)/explorer check --seeds ../shared/seeds

package: $(STAMP)  ## the Linux app: dist/explorer/ and dist/explorer-VERSION-linux-ARCH.tar.xz
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements/constraints.txt -r requirements/build.txt
	$(BIN)/python packaging/check_analysis.py
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN packaging/explorer.spec
	$(BIN)/python packaging/archive.py
	dist/explorer/explorer self-test

smoke:  ## the built app offline (unshare -rn, strace), read-only, start time; needs root
	python3 packaging/smoke.py dist/explorer

debian-test:  ## the built app in a minimal Debian root without Python (needs root, debootstrap)
	bash packaging/debian_root_test.sh dist/explorer

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
