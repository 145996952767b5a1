# memctrl: `make demo` runs the main job on its defaults; `make test` runs the test suite.
# Each creates .venv, installs the pinned dependencies (ROS 2 included) and builds the compiled core.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv build test demo bench clean

$(STAMP): requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	touch $(STAMP)

venv: $(STAMP)

build: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps -e .
	$(PY) -c "import memctrl._core"

test: build
	$(PY) -m pytest -q

demo: build
	$(VENV)/bin/memctrl demo

bench: build
	$(VENV)/bin/memctrl bench

clean:
	rm -rf $(VENV) build *.egg-info cext/*.c memctrl/_core*.so
