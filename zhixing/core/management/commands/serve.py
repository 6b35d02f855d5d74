"""
``manage.py serve``: what ``make run`` calls — prepare the embedded installation and serve it.

In order: migrate the database, load the demo court system (idempotent), collect the static files
(served by WhiteNoise, so DEBUG stays off), start ``manage.py runjobs`` as a child process, print the
address and the demo logins, then serve with Django's development server (no autoreloader). The
child is stopped when the server stops (Ctrl+C or SIGTERM; on Linux also when the server is killed).
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
from types import FrameType

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    # Linux: the child gets SIGTERM if the server process dies without cleaning up (e.g. SIGKILL).
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = "迁移数据库、载入演示数据、收集静态文件、启动定时任务进程，然后在本机提供服务（make run）。"

    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="监听地址与端口，默认 127.0.0.1:8000")
        parser.add_argument("--no-jobs", action="store_true", help="不启动定时任务进程（runjobs）")

    def handle(self, *args, addr: str = "127.0.0.1:8000", no_jobs: bool = False, **options):
        host, _, port = addr.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"监听地址“{addr}”格式不正确，应为“主机:端口”，例如 127.0.0.1:8000。")
        _check_port_free(host=host, port=int(port))

        self.stdout.write("【1/4】迁移数据库……")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("【2/4】载入演示数据……")
        demo_output = io.StringIO()
        call_command("seed_demo", stdout=demo_output)
        call_command("seed_demo_flow", stdout=io.StringIO())
        call_command("seed_demo_cases", stdout=io.StringIO())
        self.stdout.write("【3/4】收集静态文件……")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("【4/4】启动定时任务进程（runjobs）……")
        jobs = None if no_jobs else self._start_jobs()

        self._print_banner(host=host, port=port, demo_output=demo_output.getvalue())
        previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            call_command("runserver", addr, use_reloader=False, use_threading=True)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            if jobs is not None:
                self._stop_jobs(jobs)
            self.stdout.write("执行系统已停止。")

    def _start_jobs(self) -> subprocess.Popen:
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        manage_py = str(settings.BASE_DIR / "manage.py")
        return subprocess.Popen([sys.executable, manage_py, "runjobs"], env=os.environ.copy(), preexec_fn=preexec)

    def _stop_jobs(self, jobs: subprocess.Popen) -> None:
        if jobs.poll() is not None:
            return
        jobs.terminate()
        try:
            jobs.wait(timeout=10)
        except subprocess.TimeoutExpired:
            jobs.kill()
            jobs.wait()

    def _print_banner(self, *, host: str, port: str, demo_output: str) -> None:
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host  # noqa: S104 - only compared
        url = f"http://{shown_host}:{port}/"
        rule = "=" * 72
        self.stdout.write("")
        self.stdout.write(rule)
        self.stdout.write(demo_output.rstrip())
        self.stdout.write(rule)
        self.stdout.write(self.style.SUCCESS(f"执行系统已启动：请用浏览器打开 {url}"))
        self.stdout.write("用上面任一演示账号登录；按 Ctrl+C 停止服务。")
        self.stdout.write(rule)
        self.stdout.flush()


def _check_port_free(*, host: str, port: int) -> None:
    # Fail before anything starts: the development server exits hard (os._exit) on a busy port.
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as error:
            raise CommandError(
                f"无法监听 {host}:{port}（{error.strerror}）：端口可能已被占用。"
                "请先停止占用该端口的程序，或用 --addr 指定其他端口。"
            ) from error


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Turn SIGTERM into the same clean stop as Ctrl+C, so that the ``finally`` above stops runjobs.
    raise KeyboardInterrupt
