"""Who may change the library through the app: nobody without a login configured, only a logged-in
session with one; failed logins are slowed down; messages never show server paths."""

import asyncio
import time

import httpx
import pytest
from conftest import ADMIN

from rag.config import Settings
from rag.errors import public_message
from rag.ui.login import LoginCheck

CHANGES = ("ui_add", "ui_remove", "ui_rebuild", "ui_cancel")


def _endpoint_names(url: str, cookies=None) -> set[str]:
    config = httpx.get(url + "config", cookies=cookies, timeout=30).json()
    return {d.get("api_name") for d in config["dependencies"]}


@pytest.mark.slow
def test_the_default_app_has_no_endpoint_that_changes_the_library(app_server):
    url, _ = app_server
    names = _endpoint_names(url)
    assert "ui_library" in names  # the list is there
    assert not names & set(CHANGES)
    for name in CHANGES:  # nor can one be called by name
        r = httpx.post(f"{url}gradio_api/call/{name}", json={"data": []}, timeout=30)
        assert r.status_code in (404, 422) or "error" in r.text.lower(), name


@pytest.mark.slow
def test_with_a_login_the_changes_exist_only_for_a_logged_in_session(admin_server):
    url, service = admin_server
    before = [b.issue_id for b in service.bulletins()]
    assert httpx.get(url + "config", timeout=30).status_code == 401
    for name in CHANGES:
        r = httpx.post(f"{url}gradio_api/call/{name}", json={"data": ["2023-51"]}, timeout=30)
        assert r.status_code == 401, name
    r = httpx.post(url + "gradio_api/queue/join", json={"data": ["2023-51"], "fn_index": 0, "session_hash": "x"}, timeout=30)
    assert r.status_code == 401
    t0 = time.perf_counter()
    for guess in ("wrong", "test-only-pas", "x"):
        r = httpx.post(url + "login", data={"username": ADMIN[0], "password": guess}, timeout=30)
        assert r.status_code == 400 and not r.cookies, guess
    assert time.perf_counter() - t0 >= 0.05 + 0.1  # slowed (this server's delay is 0.05 s, doubling)
    login = httpx.post(url + "login", data={"username": ADMIN[0], "password": ADMIN[1]}, timeout=30)
    assert login.status_code == 200
    assert set(CHANGES) <= _endpoint_names(url, login.cookies)
    assert [b.issue_id for b in service.bulletins()] == before


def test_a_change_handler_refuses_a_call_that_has_no_logged_in_user(tmp_path):
    from app import NOT_SIGNED_IN, Handlers

    class Anonymous:
        username = None

    class NoService:  # the handler must refuse before it touches the service
        def __getattr__(self, name):
            if name in ("add", "remove", "rebuild", "cancel"):
                raise AssertionError(f"service.{name} was called")
            return lambda *a, **k: [] if name == "bulletins" else {}

    h = Handlers(NoService(), tmp_path)
    h.library_view = lambda: ([],)
    assert NOT_SIGNED_IN in h.remove("2023-51", request=Anonymous())[0]
    assert NOT_SIGNED_IN in h.rebuild(request=None)[0]
    assert NOT_SIGNED_IN in h.add(["x.md"], request=Anonymous())[0]
    assert NOT_SIGNED_IN in h.cancel(request=None)[0]


def test_failed_logins_wait_longer_each_time_and_take_turns():
    check = LoginCheck(Settings(app_auth="staff:right", login_delay_s=0.05, login_delay_max_s=0.2))
    assert [check.wait_s(n) for n in (1, 2, 3, 4, 5)] == [0.05, 0.1, 0.2, 0.2, 0.2]

    async def run():
        t0 = time.perf_counter()
        assert await check.verify("staff", "right")
        right = time.perf_counter() - t0
        t0 = time.perf_counter()
        results = await asyncio.gather(*(check.verify("staff", f"guess{i}") for i in range(5)))
        return right, time.perf_counter() - t0, results

    right, guessing, results = asyncio.run(run())
    assert right < 0.04 and not any(results)
    assert guessing >= 0.05 + 0.1 + 0.2 * 3 - 0.01  # five guesses at once are no faster than one by one
    assert not asyncio.run(check.verify("staff", "righ")) and not asyncio.run(check.verify("staf", "right"))


def test_a_login_setting_without_a_password_is_refused():
    with pytest.raises(ValueError, match="user:password"):
        LoginCheck(Settings(app_auth="staff"))


def test_messages_for_users_keep_file_names_and_drop_server_paths():
    said = public_message("/tmp/gradio/3f2a/scan.md: no such file; index in /srv/rag/index/gen-1 (see /root/x.md)")
    assert said == "scan.md: no such file; index in gen-1 (see x.md)"
    assert public_message("到2025年 1/2 以上，见 http://example.org/a/b") == "到2025年 1/2 以上，见 http://example.org/a/b"
