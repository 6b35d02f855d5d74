"""
Benchmark of the audit chain: append N records, verify them, and compare with SM3 alone.

    .venv/bin/python bench/audit_chain.py                       # 1,000,000 records, SQLite in a temp dir
    .venv/bin/python bench/audit_chain.py --records 100000
    .venv/bin/python bench/audit_chain.py --database-url postgres://postgres@127.0.0.1:5432/zhixing_bench

The database is thrown away: an SQLite file in a temporary directory, or a PostgreSQL database whose
name must end in ``_bench`` (it is dropped and created again). Appends go through ``record_many`` in
batches (one transaction each) across several court chains, plus a smaller sample of single ``record``
calls; verification is ``chain_verify``. The floor is SM3 alone over the same bytes each record's hash
covers (``prev_hash ‖ 0x1e ‖ content``), timed separately. ``--json`` prints one JSON object instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CHAINS = 8
BATCH = 1000


def _prepare_postgresql(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_bench"):
        sys.exit(f"refusing to drop {name!r}: the benchmark database's name must end in _bench")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup(database_url: str | None, workdir: str) -> None:
    if database_url:
        _prepare_postgresql(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["ZHIXING_VAR_DIR"] = workdir
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _entries(start: int, count: int, at: datetime) -> list:
    from zhixing.audit.services import Entry

    return [
        Entry(
            action="courts.membership.granted",
            at=at + timedelta(milliseconds=n),
            court_id=1 + n % CHAINS,
            case_id=None if n % 4 else 100_000 + n,
            subject_type="courts.membership",
            subject_id=str(n),
            subject_label=f"温县人民法院 执行员 测试{n}",
            before={"role": "filing_clerk", "team": None},
            after={"role": "executor", "team": n % 17, "reason": "调整岗位"},
        )
        for n in range(start, start + count)
    ]


def _content(row) -> str:
    from zhixing.audit.chain import content_text

    return content_text(
        chain=row.chain, seq=row.seq, at=row.at, court_id=row.court_id, case_id=row.case_id,
        actor_id=row.actor_id, actor_label=row.actor_label, action=row.action, subject_type=row.subject_type,
        subject_id=row.subject_id, subject_label=row.subject_label, data=row.data,
    )  # fmt: skip


def _floor_seconds(rows: list) -> float:
    """Time SM3 alone over the bytes each row's hash covers (the bytes are built outside the timing)."""
    import hashlib

    payloads = [f"{row.prev_hash}\x1e{_content(row)}".encode() for row in rows]
    new = hashlib.new
    started = time.perf_counter()
    for payload in payloads:
        new("sm3", payload).hexdigest()
    return time.perf_counter() - started


def run(records: int, singles: int) -> dict:
    """Append ``records`` records (and ``singles`` single calls), verify, and return the figures."""
    from django.db import connection, transaction

    from zhixing.audit.services import record, record_many
    from zhixing.audit.verify import chain_verify

    at = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
    append_seconds = floor_seconds = 0.0
    payload_bytes = 0
    for start in range(0, records, BATCH):
        entries = _entries(start, min(BATCH, records - start), at)
        started = time.perf_counter()
        with transaction.atomic():
            rows = record_many(entries=entries)
        append_seconds += time.perf_counter() - started
        floor_seconds += _floor_seconds(rows)
        payload_bytes += sum(len(row.data) for row in rows)

    single_entries = _entries(records, singles, at)
    started = time.perf_counter()
    for entry in single_entries:
        with transaction.atomic():
            record(
                action=entry.action, at=entry.at, court_id=entry.court_id, case_id=entry.case_id,
                subject_type=entry.subject_type, subject_id=entry.subject_id, subject_label=entry.subject_label,
                before=entry.before, after=entry.after,
            )  # fmt: skip
    single_seconds = time.perf_counter() - started

    report = chain_verify()
    total = records + singles
    floor_rate = records / floor_seconds if floor_seconds else 0.0
    append_rate = records / append_seconds if append_seconds else 0.0
    verify_rate = report.records_per_second
    return {
        "database": connection.vendor,
        "records": total,
        "chains": report.chains,
        "append_batched_per_s": round(append_rate),
        "append_single_per_s": round(singles / single_seconds) if singles else 0,
        "verify_per_s": round(verify_rate),
        "verify_seconds": round(report.seconds, 3),
        "floor_sm3_per_s": round(floor_rate),
        "append_to_floor": round(append_rate / floor_rate, 3) if floor_rate else 0.0,
        "verify_to_floor": round(verify_rate / floor_rate, 3) if floor_rate else 0.0,
        "average_data_bytes": round(payload_bytes / records) if records else 0,
        "verified_ok": report.ok,
        "breaks": report.as_dict()["breaks"],
    }


def main() -> None:
    """Parse the arguments, run the benchmark in a throwaway database, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="records appended by record_many")
    parser.add_argument("--singles", type=int, default=None, help="single record() calls (default: 1%%, ≤ 5000)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL of a throwaway *_bench database")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    singles = args.singles if args.singles is not None else min(5000, max(1, args.records // 100))
    with tempfile.TemporaryDirectory(prefix="zhixing-bench-") as workdir:
        _setup(args.database_url, workdir)
        figures = run(args.records, singles)
        from django.db import connection

        connection.close()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    print(f"数据库              {figures['database']}（{figures['chains']} 条链，共 {figures['records']:,} 条记录）")
    batched, ratio = figures["append_batched_per_s"], figures["append_to_floor"]
    print(f"追加（批量）        {batched:>12,} 条/秒   与下限之比 {ratio:.3f}")
    print(f"追加（逐条事务）    {figures['append_single_per_s']:>12,} 条/秒")
    print(
        f"校验                {figures['verify_per_s']:>12,} 条/秒   与下限之比 {figures['verify_to_floor']:.3f}"
        f"（{figures['verify_seconds']} 秒）"
    )
    print(f"下限：仅 SM3        {figures['floor_sm3_per_s']:>12,} 条/秒")
    print(f"校验结果            {'完整' if figures['verified_ok'] else '被破坏：' + json.dumps(figures['breaks'])}")
    if not figures["verified_ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
