# Two commands do all set-up: `make run` and `make test` (each creates .venv on first use).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
Q ?= 到2026年要打造多少个典型应用场景？

.PHONY: run build search test lint eval bench clean-index

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m rag search "$(Q)" --top-k 3

build: $(STAMP)
	$(PY) -m rag build

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

eval: $(STAMP)
	$(PY) -m rag eval --gold ../shared/eval/dev.jsonl

bench: $(STAMP)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) benchmarks/retrieval.py --gold ../shared/eval/dev.jsonl

clean-index:
	rm -rf index/gen-* index/.gen-* index/manifest.json
