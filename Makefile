# Test entry points. The scripts do the work; recipes stay short.
#   make bootstrap   Debian packages, .venv, the pinned Claude Code CLI and the supported range, collection link
#   make cli         only the Claude Code CLIs (.cache/claude-cli, -oldest, -newest)
#   make images      local podman test image(s), built with debootstrap
#   make ruff        ruff check and ruff format --check of all the Python (settings: ruff.toml)
#   make unit        unit tests
#   make integration ansible-playbook runs on local hosts (drift report), the real CLI (doctor, lock, effective state)
#   make reliability bad inputs, shell quoting, SIGKILL, full disk, races, secrets, fleet faults
#   make molecule    Molecule scenarios (default, airgapped, drift, golden_image) on podman
#   make molecule-mutants  each scenario with the collection broken on purpose must fail; on demand
#   make demo        the main job on a local fleet of podman containers: rollout, a weakened host, the
#                    drift run that finds it, the HTML report. Root: installs only the demo's Debian
#                    packages, venv (.cache/demo) and image; KEEP=1 keeps the containers
#   make lint        quality gates (antsibull-nox): ruff, ansible-lint, docs, galaxy-importer, changelog, ansible-test
#                    sanity, units and the tarball test of 2.19-2.22 (Debian 13 root for units/tarball of 2.20+), EE build+run
#   make ee          the execution environment, built offline and run the AWX way
#   make bench       fleet benchmark, on demand only (BENCH_ARGS='--sizes 5,10 --reps 2'); not in make test
#   make bench-report the drift report for 10,000 hosts on the controller: time, memory, sizes; on demand
#   make bench-phases where a host's CPU goes, rollout against ping, phase by phase on local hosts; on demand
#   make test        everything CI runs
SHELL := /bin/bash
.DEFAULT_GOAL := test

VENV := $(CURDIR)/.venv

# Podman settings for this kind of host (see tests/containers.conf); nothing in /etc.
export CONTAINERS_CONF := $(CURDIR)/tests/containers.conf
# .cache/collections/ansible_collections/fleetpolicy/claude_code -> this checkout
# (made by bootstrap); the bundled collections come from the ansible package in .venv.
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.cache/collections
# molecule and ansible-lint call ansible-config, ansible-playbook... by name.
export PATH := $(VENV)/bin:$(PATH)
# The pinned Claude Code version (meta/cli_versions.json), which the Molecule scenarios install.
export FLEETPOLICY_CLI_VERSION := $(shell python3 -c 'import json; print(json.load(open("meta/cli_versions.json"))["pinned"])')

.PHONY: bootstrap cli images ruff unit integration reliability test demo lint molecule

bootstrap:
	scripts/bootstrap.sh

cli:
	scripts/bootstrap.sh cli cli-range

images: bootstrap
	scripts/build-images.sh

# Nothing of make test's: its own packages, venv and image (scripts/demo.sh).
demo:
	scripts/demo.sh

# The Python the repository holds; the same paths as the nox lint sessions (antsibull-nox.toml).
# .pre-commit-config.yaml runs ruff too, at the rev that must equal requirements/ruff.txt's pin.
RUFF_PATHS := plugins tests scripts benchmarks extensions noxfile.py
ruff: $(VENV)/.requirements.stamp
	$(VENV)/bin/ruff check $(RUFF_PATHS)
	$(VENV)/bin/ruff format --check $(RUFF_PATHS)
	@pin=$$(sed -n 's/^ruff==//p' requirements/ruff.txt); grep -q "rev: v$$pin$$" .pre-commit-config.yaml || \
		{ echo ".pre-commit-config.yaml: the ruff-pre-commit rev is not v$$pin (requirements/ruff.txt)" >&2; exit 1; }

unit: $(VENV)/.requirements.stamp
	$(VENV)/bin/pytest tests/unit -q

# Each file in one worker (its module fixtures run once), as many workers as cores.
integration: $(VENV)/.requirements.stamp
	$(VENV)/bin/pytest tests/integration -q -n auto --dist loadfile

reliability: $(VENV)/.requirements.stamp
	$(VENV)/bin/pytest tests/reliability -q

lint:
	scripts/lint.sh

# Only the execution environment gate: build it without network, run rollout + drift in it the
# AWX way (docs/execution-environment.md). Part of make lint.
.PHONY: ee
ee:
	scripts/lint.sh ee

# Scenarios live in extensions/molecule/, where Molecule 26 looks in a collection (galaxy.yml).
molecule: images
	molecule test --all

# On demand (about 3 minutes): proof that each scenario fails when the collection is broken.
.PHONY: molecule-mutants
molecule-mutants: images
	scripts/molecule-mutants.sh

test: bootstrap
	$(MAKE) ruff
	$(MAKE) lint
	$(MAKE) unit
	$(MAKE) integration
	$(MAKE) reliability
	$(MAKE) molecule

$(VENV)/.requirements.stamp: requirements/test.txt requirements/pytest.txt requirements/ruff.txt
	scripts/bootstrap.sh venv collections

# On demand only, never part of `make test`: benchmarks/fleet.py (see README, Performance).
# Its plotting library lives in its own venv, apart from the test requirements, with the
# ansible-core of the test venv (it reads the collection's code) on the same Python.
BENCH_VENV := $(CURDIR)/.cache/bench-venv
.PHONY: bench
bench: images $(BENCH_VENV)/.requirements.stamp
	$(BENCH_VENV)/bin/python benchmarks/fleet.py $(BENCH_ARGS)

$(BENCH_VENV)/.requirements.stamp: requirements/bench.txt requirements/core-2.21.txt $(VENV)/.requirements.stamp
	rm -rf $(BENCH_VENV)
	"$$(readlink -f $(VENV)/bin/python)" -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q -r requirements/bench.txt -r requirements/core-2.21.txt
	touch $@

# On demand: the drift report at fleet size (benchmarks/report.py), time, memory and sizes.
.PHONY: bench-report
bench-report: $(VENV)/.requirements.stamp
	PYTHONPATH=$(CURDIR)/.cache/collections $(VENV)/bin/python benchmarks/report.py $(BENCH_ARGS)

# On demand: the rollout's CPU per host against a ping play, by ansible-core phase (benchmarks/phases.py).
.PHONY: bench-phases
bench-phases: $(VENV)/.requirements.stamp
	$(VENV)/bin/python benchmarks/phases.py $(BENCH_ARGS)
