"""Smoke test of ``bench/cases_load.py``: a small run on SQLite, in a subprocess, prints its figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_runs_small_on_sqlite():
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "cases_load.py"), "--cases", "2000", "--naive", "100", "--repeat", "3"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "bulk import :     2,000 cases" in result.stdout
    assert "naive save():" in result.stdout
    assert "执行中" in result.stdout
