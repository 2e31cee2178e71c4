# Development tasks; `make help` lists them.
PYTHON ?= python3

.PHONY: help
help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

.PHONY: install
install:  ## Build the Rust core (release) and install the package with the test tools
	$(PYTHON) -m pip install '.[test]'

.PHONY: test
test:  ## The whole suite: the Rust core alone, then pytest over both backends
	cargo test --quiet
	$(PYTHON) -m pytest

.PHONY: lint
lint:  ## rustfmt, clippy, ruff and mypy
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --features python -- -D warnings  # the binding module too
	$(PYTHON) -m ruff check python tests benches tools
	$(PYTHON) -m ruff format --check python tests benches tools
	$(PYTHON) -m mypy
	$(PYTHON) -m mypy.stubtest docker_schema1._rust

.PHONY: format
format:  ## Format Rust and Python sources
	cargo fmt
	$(PYTHON) -m ruff format python tests benches tools
	$(PYTHON) -m ruff check --fix python tests benches tools

MINUTES ?= 10

.PHONY: fuzz
fuzz:  ## Fuzz the Rust core for MINUTES minutes (default 10) on stable; see fuzz/README.md
	bash fuzz/run.sh $(MINUTES)
