# nianbao: `make crawl` runs the main job, `make test` runs the whole test suite.
# Both create the virtual environment from the lock file first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-deps crawl demo test lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	scripts/install-system-deps.sh

crawl: setup
	$(BIN)/nianbao crawl

demo: setup
	$(BIN)/nianbao demo

test: setup system-deps
	scripts/with-postgres.sh $(BIN)/python -m pytest

# Re-resolve the lock after editing pyproject.toml dependencies.
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) build *.egg-info
