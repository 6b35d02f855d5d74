"""The audit benchmark script runs end to end at a small size (its figures are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_benchmark_appends_verifies_and_reports_rates():
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "audit_chain.py"), "--records", "2000", "--singles", "20", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    figures = json.loads(completed.stdout)
    assert (figures["database"], figures["records"], figures["chains"]) == ("sqlite", 2020, 8)
    assert (figures["verified_ok"], figures["breaks"]) == (True, [])
    for key in ("append_batched_per_s", "append_single_per_s", "verify_per_s", "floor_sm3_per_s"):
        assert figures[key] > 0, key
    assert 0 < figures["verify_to_floor"] < 10


def test_benchmark_human_output_names_every_figure():
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "audit_chain.py"), "--records", "300", "--singles", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    for label in ("追加（批量）", "追加（逐条事务）", "校验", "下限：仅 SM3", "与下限之比", "校验结果            完整"):
        assert label in completed.stdout, label


def test_benchmark_refuses_a_database_not_named_for_benchmarks():
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "audit_chain.py"), "--database-url", "postgres://u@127.0.0.1:1/zhixing"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 1
    assert "must end in _bench" in completed.stderr
