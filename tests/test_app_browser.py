"""The app in a real browser: headless Debian Chromium driven by Playwright. Screenshots go to test-output/."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ADMIN, ROOT
from playwright.sync_api import expect, sync_playwright

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SHOTS = ROOT / "test-output"
MINI = Path(__file__).parent / "data" / "mini-bulletin.md"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed (apt-get install -y chromium)"
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if "CJK" not in fonts:
        return "no CJK font: Chinese would render as empty boxes (apt-get install -y fonts-noto-cjk)"
    return None


@pytest.fixture(scope="module")
def browser():
    if why := _missing():
        if os.environ.get("RAG_REQUIRE_BROWSER"):
            pytest.fail(why)
        pytest.skip(why)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(app_server[0])
    page.locator("#question textarea").wait_for()
    yield page
    context.close()


@pytest.fixture
def admin_page(browser, admin_server):
    """A page of the app with a login, logged in (the cookie Gradio's /login sets)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    url = admin_server[0]
    assert context.request.post(url + "login", form={"username": ADMIN[0], "password": ADMIN[1]}).ok
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.locator("#question textarea").wait_for()
    yield page
    context.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_ask_shows_the_answer_and_a_citation_card_with_its_article_and_section(page):
    page.locator("#question textarea").fill("云南的公共数据多久内要完成校核？")
    page.locator("#ask-button").click()
    card = page.locator("#chat .cite-card").first
    card.wait_for()
    answer = page.locator("#chat .answer").last
    assert "5 个工作日" in answer.inner_text()
    assert "[1]" in answer.inner_text()
    assert "云南省公共数据管理办法" in card.locator(".cite-article").inner_text()
    assert "第二十二条" in card.locator(".cite-path").inner_text()
    assert card.locator("mark").count() >= 1  # the supporting sentence is highlighted
    card.locator("details summary").click()  # open the passage in its context
    cited = card.locator(".ctx-cited")
    assert cited.is_visible() and "第二十二条" in cited.inner_text()
    _shot(page, "ask.png")

    page.get_by_text("复制与导出").click()
    copied = page.locator("#copy-text textarea").input_value()
    assert copied.startswith(answer.inner_text().splitlines()[1][:10]) and "[1] 云南省公共数据管理办法" in copied
    with page.expect_download() as download:
        page.locator("#download").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert exported.startswith("# 云南的公共数据多久内要完成校核？") and "## [1] 云南省公共数据管理办法" in exported


def test_a_question_the_bulletin_does_not_answer_says_so_and_shows_the_closest(page):
    page.locator("#question textarea").fill("如何做红烧肉？")
    page.locator("#ask-button").click()
    page.locator("#chat .cite-card").first.wait_for()
    assert "本期资料中没有找到相关内容" in page.locator("#chat .refused").inner_text()
    assert "最接近的段落" in page.locator("#chat").inner_text()


def test_a_two_turn_chat_understands_the_follow_up_and_starts_over(page):
    page.locator("#question textarea").fill("云南省公共数据管理办法第二十二条规定了什么？")
    page.locator("#ask-button").click()
    page.locator("#chat .chat-turn").first.wait_for()
    assert page.locator("#question textarea").input_value() == ""  # the box is cleared for the next question
    page.locator("#question textarea").fill("下一条呢？")
    page.locator("#ask-button").click()
    page.locator("#chat .understood").wait_for()
    assert "理解为：云南省公共数据管理办法第二十三条规定了什么？" in page.locator("#chat .understood").inner_text()
    second = page.locator("#chat .chat-turn").nth(1)
    expect(second.locator(".cite-card").first).to_be_visible()
    assert "第二十三条" in second.locator(".cite-path").first.inner_text()  # this turn's own citation cards
    assert page.locator("#chat .chat-turn").count() == 2
    _shot(page, "chat.png")

    page.locator("#new-chat").click()
    expect(page.locator("#chat .chat-turn")).to_have_count(0)
    page.locator("#question textarea").fill("下一条呢？")  # nothing to refer to any more
    page.locator("#ask-button").click()
    page.locator("#chat .chat-turn").first.wait_for()
    assert page.locator("#chat .understood").count() == 0


def test_the_history_of_one_browser_is_not_anothers(browser, app_server):
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        p = context.new_page()
        p.set_default_timeout(60_000)
        p.goto(app_server[0])
        p.locator("#question textarea").wait_for()
        pages.append((context, p))
    (first_context, first), (second_context, second) = pages
    first.locator("#question textarea").fill("截至11月末，京津冀地区5G基站有多少个？")
    first.locator("#ask-button").click()
    first.locator("#chat .chat-turn").first.wait_for()
    second.locator("#question textarea").fill("长三角呢？")  # a follow-up in another browser: no history there
    second.locator("#ask-button").click()
    second.locator("#chat .chat-turn").first.wait_for()
    assert second.locator("#chat .understood").count() == 0 and second.locator("#chat .chat-turn").count() == 1
    first_context.close()
    second_context.close()


def test_the_digest_of_the_issue_fits_on_two_screens(page):
    page.get_by_role("tab", name="本期要点").click()
    page.locator("#digest .digest-article").first.wait_for()
    assert page.locator("#digest .digest-article").count() == 9
    assert "北京市关于推动科技企业孵化器创新发展的指导意见" in page.locator("#digest").inner_text()
    assert page.locator("#digest .digest-article .cite-ref").count() >= 18  # every point and figure cited
    height = page.locator("#digest").bounding_box()["height"]
    assert height <= 2 * 900, f"{height:.0f} px"
    page.locator("#digest .digest-sources summary").click()
    expect(page.locator("#digest .digest-sources .cite-card").first).to_be_visible()
    with page.expect_download() as download:
        page.locator("#digest-download").click()
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("# 本期要点")
    _shot(page, "digest.png")


def test_lookup_gives_the_provision_text(page):
    page.get_by_role("tab", name="查找条款").click()
    page.locator("#reference textarea").fill("第二十二条")
    page.locator("#lookup-button").click()
    card = page.locator("#provisions .cite-card").first
    card.wait_for()
    assert "第二十二条" in card.locator(".cite-path").inner_text()
    assert "公共机构应当自收到校核申请之日起 5 个工作日内校核完毕" in card.locator(".cite-text").inner_text()
    _shot(page, "lookup.png")


def test_a_bad_file_is_reported_and_the_library_is_unchanged(admin_page, tmp_path):
    page = admin_page
    fake = tmp_path / "scan.md"
    fake.write_bytes(b"%PDF-1.7\n\0\0binary")
    page.get_by_role("tab", name="资料库").click()
    expect(page.locator("#library-table")).to_contain_text("2023-51")  # the table fills after page load
    before = page.locator("#library-table").inner_text()
    page.locator("#upload input[type=file]").set_input_files(str(fake))
    page.get_by_text(fake.name).first.wait_for()
    page.locator("#add-button").click()
    error = page.locator("#library-status .message.error")
    error.wait_for()
    assert "scan.md" in error.inner_text() and "binary" in error.inner_text()
    assert page.locator("#library-table").inner_text() == before


def test_an_uploaded_bulletin_is_found_by_search(admin_page):
    page = admin_page
    page.get_by_role("tab", name="资料库").click()
    page.locator("#upload input[type=file]").set_input_files(str(MINI))
    page.get_by_text(MINI.name).first.wait_for()
    page.locator("#add-button").click()
    page.locator("#library-status .message.ok").wait_for(timeout=120_000)
    assert "2024-1" in page.locator("#library-table").inner_text()
    _shot(page, "library.png")

    page.get_by_role("tab", name="提问").click()
    page.locator("#question textarea").fill("通用机场 低空航线")
    page.locator("#search-button").click()
    page.locator("#citations .cite-card").first.wait_for()
    assert "贵州省低空经济发展若干措施" in page.locator("#citations .cite-card").first.inner_text()


def test_without_a_login_the_library_tab_is_read_only_and_says_so(page):
    page.get_by_role("tab", name="资料库").click()
    expect(page.locator("#library-table")).to_contain_text("2023-51")
    expect(page.locator("#read-only")).to_contain_text("只读模式")
    assert page.locator("#add-button").count() == 0 and page.locator("#upload").count() == 0


def test_an_empty_question_gets_a_clear_message(page):
    page.locator("#ask-button").click()
    message = page.locator("#answer .message")
    message.wait_for()
    assert "请输入问题" in message.inner_text()


def test_a_long_add_shows_its_progress_and_cancel_leaves_the_library_as_it_was(admin_page, bulletin_text, tmp_path):
    page = admin_page
    # A new issue whose passages are nearly all new: ≈ 1,300 texts to embed, tens of seconds.
    fresh = tmp_path / "bulletin-2023-52.md"
    text = bulletin_text.replace("第51期", "第52期").replace("12月22日", "12月29日").replace("的", "之")
    fresh.write_text(text, encoding="utf-8")
    page.get_by_role("tab", name="资料库").click()
    table = page.locator("#library-table")
    expect(table).to_contain_text("2023-51")
    before = table.inner_text()
    page.locator("#upload input[type=file]").set_input_files(str(fresh))
    page.get_by_text(fresh.name).first.wait_for()
    page.locator("#add-button").click()
    expect(page.get_by_text("正在向量化").first).to_be_visible(timeout=120_000)
    _shot(page, "library-progress.png")
    page.locator("#cancel-button").click()
    expect(page.locator("#library-status .message")).to_contain_text("已取消", timeout=120_000)
    assert table.inner_text() == before


def test_each_new_answer_is_shown_from_its_start_below_the_label(page):
    for question in ("云南省公共数据管理办法第二十二条规定了什么？", "下一条呢？", "河南省行动计划提出了哪些主要目标？"):
        page.locator("#question textarea").fill(question)
        page.locator("#ask-button").click()
        expect(page.locator("#chat .user-row")).to_have_count(
            {"云": 1, "下": 2, "河": 3}[question[0]]
        )  # fmt: skip
        page.locator("#chat .chat-turn").last.locator(".cite-card").first.wait_for()
    page.wait_for_timeout(500)
    pane = page.locator("#chat .bubble-wrap").bounding_box()
    label = page.locator("#chat label").first.bounding_box()
    asked = page.locator("#chat .user-row").last.bounding_box()
    answer = page.locator("#chat .chat-turn").last.locator(".answer").bounding_box()
    assert label["y"] + label["height"] <= pane["y"] + 1  # the floating label covers no message
    assert pane["y"] <= asked["y"] < pane["y"] + 60  # the newest question at the top of the pane
    assert answer["y"] < pane["y"] + pane["height"] - 40  # its answer starts inside the pane, not above the fold
    _shot(page, "chat-scroll.png")
