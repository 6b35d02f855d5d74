"""
Run the whole suite on SQLite, then again on PostgreSQL (with Redis and a Celery worker) when they answer.

``ZHIXING_REQUIRE_SERVICES=1`` (set by CI) turns a missing PostgreSQL or Redis into a failure instead
of a skipped run. Any non-zero pytest exit fails, including 5 ("no tests collected"), and so does a
run that collected fewer than ``MIN_TESTS`` tests (a broken conftest or a wrong path must not pass).
The count comes from the root ``conftest.py``, which writes it to ``$ZHIXING_PYTEST_COUNT_FILE``.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POSTGRES_URL = os.environ.get("ZHIXING_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("ZHIXING_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
#: A whole-suite run that collects fewer tests than this has lost tests on the way: fail it.
MIN_TESTS = int(os.environ.get("ZHIXING_MIN_TESTS", "20"))


def answers(host: str, port: int) -> bool:
    """Return whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def run(label: str, extra_env: dict[str, str], args: list[str]) -> int:
    """Run pytest once with ``extra_env`` and return its exit code (1 when too few tests were collected)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(extra_env)
    print(f"\n===== 测试：{label} =====", flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        count_file = Path(scratch) / "collected"
        env["ZHIXING_PYTEST_COUNT_FILE"] = str(count_file)
        code = subprocess.call([sys.executable, "-m", "pytest", *args], env=env)
        collected = int(count_file.read_text()) if count_file.exists() else 0
    print(
        f"===== {label}：退出码 {code}，收集 {collected} 个测试，用时 {time.monotonic() - started:.0f} 秒 =====",
        flush=True,
    )
    if code == 0 and collected < MIN_TESTS:
        print(f"只收集到 {collected} 个测试（至少应有 {MIN_TESTS} 个）：测试可能未被发现，视为失败。", file=sys.stderr)
        return 1
    return code


def main() -> int:
    """Run the suite on each database and fail if any run fails or a required service is missing."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    options, pytest_args = parser.parse_known_args()
    require = os.environ.get("ZHIXING_REQUIRE_SERVICES") == "1"
    failures = 0
    if options.only in (None, "sqlite"):
        failures += run("SQLite（嵌入式默认）", {"ZHIXING_EXPECT_DB": "sqlite"}, pytest_args) != 0
    if options.only in (None, "postgres"):
        have_pg, have_redis = answers("127.0.0.1", 5432), answers("127.0.0.1", 6379)
        if have_pg and have_redis:
            env = {"DATABASE_URL": POSTGRES_URL, "REDIS_URL": REDIS_URL, "ZHIXING_EXPECT_DB": "postgresql"}
            failures += run("PostgreSQL + Redis", env, pytest_args) != 0
        else:
            missing = ", ".join(n for n, ok in (("PostgreSQL", have_pg), ("Redis", have_redis)) if not ok)
            if require or options.only == "postgres":
                print(f"缺少服务：{missing}（ZHIXING_REQUIRE_SERVICES=1 时必须可用）", file=sys.stderr)
                return 1
            print(f"跳过 PostgreSQL 测试：{missing} 未运行。", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
