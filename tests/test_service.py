"""The app's service: one LLM answer at a time, searches never wait for it, library changes swap the index."""

import threading
import time
from pathlib import Path

import pytest
from conftest import BULLETIN

from rag.service import NoIndex, Service
from rag.types import Answer

pytestmark = pytest.mark.slow


class SlowLLM:
    """Answers slowly and records how many answers ran at once."""

    kind, name = "local", "slow"

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()
        self.asked: list[str] = []  # each call's system prompt

    def stream(self, messages, max_tokens):
        self.asked.append(messages[0]["content"])
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            for word in ("公共机构应当在", "5个工作日内", "校核完毕[1]。"):
                time.sleep(0.3)
                yield word
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def service(real_index, embedder):
    settings, _ = real_index
    s = Service(settings, embedder)
    s.start()
    s._llms["local"] = SlowLLM()  # what load_llm would return, minus 1.9 GB
    return s


def test_llm_answers_take_turns_while_searches_go_on(service):
    llm = service._llms["local"]
    answers: list[Answer] = []

    def ask():
        answers.append(service.answer("云南公共数据平台由谁负责建设？", mode="local"))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # the first answer is being written now
    t0 = time.perf_counter()
    passages = service.search("公共数据 校核", 3)
    waited = time.perf_counter() - t0
    for t in threads:
        t.join()
    # Each answer ran the model, one at a time (what it wrote is checked elsewhere: its made-up deadline is
    # replaced by the quote here).
    assert llm.most == 1 and len(answers) == 3 and len(llm.asked) == 3
    assert passages and waited < 1.5  # three answers take ≥ 2.7 s in turn; the search did not queue behind them


def test_a_bad_question_fails_before_waiting_for_the_model(service):
    from rag.query import QueryError

    with pytest.raises(QueryError):
        next(service.ask("   ", mode="local"))


def test_modes_and_the_default(service):
    assert service.modes()[0] == "extractive"
    assert "openai" not in service.modes()
    configured = Service(service.settings.with_(openai_base_url="http://127.0.0.1:9/v1", openai_model="m", llm="openai"))
    assert "openai" in configured.modes() and configured.default_mode() == "openai"
    with pytest.raises(ValueError, match="unknown answer mode"):
        service.answer("问题", mode="gpt")


def test_a_damaged_index_is_reported_not_served(tmp_path, embedder):
    from rag.config import Settings

    settings = Settings(index_dir=tmp_path / "index", corpus=(BULLETIN,), library_dir=tmp_path / "lib")
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "manifest.json").write_text("{not json", encoding="utf-8")
    s = Service(settings, embedder)
    s.start()
    assert s.problem and "manifest" in s.problem.lower()
    with pytest.raises(NoIndex):
        s.search("公共数据")
    s.rebuild()
    assert s.problem is None and s.search("公共数据", 1)


class WrongFigureLLM:
    kind, name = "local", "wrong-figure"

    def stream(self, messages, max_tokens):
        yield "应当在2个工作日内校核完毕[1]。"  # the transfer deadline, not the one asked for


def test_an_llm_answer_missing_the_asked_figure_is_replaced_by_the_quote(service):
    service._llms["local"] = WrongFigureLLM()
    a = service.answer("云南公共机构收到校核申请后应当在几个工作日内校核完毕？", mode="local")
    assert a.mode == "extractive" and "5 个工作日" in a.text and a.citations
    assert "quoted instead" in a.flags[0]


@pytest.mark.parametrize("question", ["How many 5G base stations does Guizhou have?", "四川省的算力规模是多少？"])
def test_a_place_the_passages_are_not_about_is_refused_before_any_model_runs(service, question):
    a = service.answer(question, mode="local")
    assert a.refused and a.citations == [] and a.passages
    translate = (Path(service.settings.prompts_dir) / "en" / "translate.txt").read_text(encoding="utf-8")
    # The model may render an English question in Chinese for retrieval, but is never asked to answer.
    assert all(prompt == translate for prompt in service._llms["local"].asked)
