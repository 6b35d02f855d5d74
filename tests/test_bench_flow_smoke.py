"""
Smoke test of ``bench/flow_sweep.py --smoke``: 2,000 cases on PostgreSQL, in a subprocess, end to end.

It runs only when the suite runs on PostgreSQL (``DATABASE_URL`` postgres://…): the benchmark creates its
own throw-away databases ``zhixing_bench_f_smoke<pid>`` (and ``…_scale``, ``…_spiff``) on that server and
drops them. Its figures are not asserted, only that it completes, that the idle sweep changed nothing, the
busy one changed rows (as many as were due), a second busy sweep nothing, each phase of the idle sweep used its
partial index, and Zhixing and SpiffWorkflow agreed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="the sweep benchmark runs on PostgreSQL only",
)


def test_the_sweep_benchmark_runs_small(tmp_path):
    url = urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/zhixing_bench_f_smoke{os.getpid()}", query=""))
    figures = tmp_path / "figures.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "flow_sweep.py"), "--smoke", "--database-url", url, "--drop",
         "--json", str(figures)],
        capture_output=True, text=True, timeout=900, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "bench databases dropped." in completed.stdout
    result = json.loads(figures.read_text(encoding="utf-8"))
    assert result["counts"]["cases"] == 2000
    assert result["counts"]["open_nodes"] == 10_000
    assert result["idle"]["changed"] == 0
    busy = result["busy"]
    assert busy["changed"] > 0
    counts = busy["counts"]
    assert counts["node_warnings"] + counts["node_overdue"] == 1000  # 10% of the open nodes, all swept
    assert counts["sideways"] + counts["lifted"] + counts["stuck"] > 0
    assert counts["alerts"] > 0
    assert counts["audit_records"] > 0
    assert result["again"]["changed"] == 0
    assert all(result["explain"].values()), result["explain"]
    assert result["spiff"]["same"]
    assert result["spiff"]["cases"] == 500
