"""
``make run`` serves the login page: start ``manage.py serve`` as a newcomer would and fetch the pages.

The server runs in its own process group on a free port with a fresh, empty ``ZHIXING_VAR_DIR`` and no
``DATABASE_URL``/``REDIS_URL``, so it migrates and seeds the embedded SQLite database from nothing.
It runs once, in the SQLite pass of the suite (the PostgreSQL pass would only repeat it).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 120

pytestmark = pytest.mark.skipif(
    os.environ.get("ZHIXING_EXPECT_DB") == "postgresql",
    reason="make run uses the embedded SQLite database; it is checked once, in the SQLite run",
)


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_until_serving(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"manage.py serve exited with {server.process.returncode}:\n{server.output()}")
        try:
            requests.get(server.url, timeout=2)
        except requests.ConnectionError:
            time.sleep(0.3)
        else:
            return
    pytest.fail(f"manage.py serve did not answer within {STARTUP_SECONDS} s:\n{server.output()}")


def _eventually(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(ZHIXING_VAR_DIR=str(tmp_path / "var"), PYTHONUNBUFFERED="1")
    port = _free_port()
    log = tmp_path / "console.txt"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--addr", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(process=process, url=f"http://127.0.0.1:{port}", log=log)
    try:
        yield running
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_serves_the_chinese_login_page_and_stops_cleanly(server: Server):
    _wait_until_serving(server)

    login = requests.get(f"{server.url}/accounts/login/", timeout=10)
    css = requests.get(f"{server.url}/static/zhixing/site.css", timeout=10)
    home = requests.get(f"{server.url}/", timeout=10, allow_redirects=False)

    assert login.status_code == 200, server.output()[-3000:]
    assert '<html lang="zh-hans">' in login.text
    assert "<title>登录 · 执行案件流程信息管理系统</title>" in login.text
    assert 'name="username"' in login.text
    assert 'name="password"' in login.text
    assert "连续 5 次密码错误将暂时锁定该账号。" in login.text
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert ".topbar" in css.text
    assert home.status_code == 302
    assert home.headers["Location"] == "/accounts/login/?next=/"
    console = server.output()
    assert f"执行系统已启动：请用浏览器打开 {server.url}/" in console
    assert "演示账号（密码均为 zhixing-demo-2026）" in console
    assert "wx_lian" in console
    assert _eventually(lambda: "定时任务：" in server.output()), "the runjobs child did not start"

    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=20)

    assert _eventually(lambda: not _group_alive(server.process.pid), 10), "the runjobs child outlived the server"
    assert "执行系统已停止。" in server.output()
