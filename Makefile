# carbonhub: the README's two commands are `make demo` and `make test`.
# Both set everything up on a fresh machine (venv, Python deps, the IPOPT build) idempotently.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.carbonhub-installed

.PHONY: demo test setup ipopt browser bench docs notebooks clean

demo: setup
	$(BIN)/carbonhub run biomass_ft --report out/biomass_ft.html --json out/biomass_ft.json

# the suite runs on every core (at most 4 workers; PYTEST_WORKERS=0 runs it in one process);
# work stealing balances the long route and notebook tests across the workers
PYTEST_WORKERS ?= auto
test: setup browser
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses=4 --dist worksteal $(PYTEST_ARGS)

setup: $(STAMP) $(VENV)/share/carbonhub/idaes/bin/ipopt

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	touch $(STAMP)

$(VENV)/share/carbonhub/idaes/bin/ipopt: scripts/install_ipopt.sh | $(STAMP)
	PYTHON=$(abspath $(BIN)/python) bash scripts/install_ipopt.sh

ipopt: setup

# headless Chromium for the report's browser test (Debian package; a no-op when one is installed)
browser:
	bash scripts/install_browser.sh

# JupyterLab in the venv (the `jupyter` extra), opened on examples/; its state stays in the venv
JUPYTER_STAMP := $(VENV)/.carbonhub-jupyter
JUPYTER_ENV := JUPYTER_CONFIG_DIR=$(abspath $(VENV))/etc/jupyter-user \
	JUPYTER_DATA_DIR=$(abspath $(VENV))/share/jupyter-user IPYTHONDIR=$(abspath $(VENV))/etc/ipython \
	JUPYTER_RUNTIME_DIR=$(abspath $(VENV))/share/jupyter-user/runtime

$(JUPYTER_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,docs,jupyter]"
	touch $(JUPYTER_STAMP)

notebooks: setup $(JUPYTER_STAMP)
	$(JUPYTER_ENV) $(BIN)/jupyter lab --notebook-dir=examples $(if $(filter 0,$(shell id -u)),--allow-root) $(JUPYTER_ARGS)

bench: setup
	$(BIN)/python benchmarks/run_all.py

docs: setup
	$(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) out site
