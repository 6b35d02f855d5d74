r"""
Benchmark of the docket: load N generated cases through the bulk import, then time the case list.

    .venv/bin/python bench/cases_load.py --cases 2000                    # SQLite in a temp dir
    .venv/bin/python bench/cases_load.py --cases 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/zhixing_bench_cases

The database is thrown away: an SQLite file in a temporary directory, or a PostgreSQL database whose
name must end in ``_bench`` or ``_bench_<suffix>`` (dropped and created again; ``--drop`` drops it at the end).

1. Load: ``zhixing.cases.demo`` generates the docket of 温县 (deterministic), ``cases_import`` loads it in
   batches (``--batch`` rows a call, one transaction each): the filing's validation of every row, set-based
   duplicate and party checks, encryption, 案号 blocks, 繁简分流 of every case, COPY, one audit record per case
   (the pure part of the validation spread over forked worker processes for big batches). Only the calls
   are timed (generation is reported apart).
2. Side by side, on a sample (``--naive``, default 10,000 cases of another court): the naive path — the
   same validation, then one ``Model.save()`` per party, case and link and one ``record`` per case —
   and the floor: a bare ``COPY`` of the same rows (parties, cases, links, audit rows, values precomputed)
   into copies of the tables with their indexes (PostgreSQL only).
3. The list: statuses, teams and executors are spread over the cases (one UPDATE, bench only), then
   ``case_list`` is timed (p50/p95 of ``--repeat`` calls) with three typical filter combinations, on page 1
   and on page 1,000 (its cursor found directly), and ``EXPLAIN ANALYZE`` of each page query is printed
   with a check that it uses an index.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
AT = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"\w+_bench(_[a-z0-9]+)?", name):
        sys.exit(f"refusing to drop {name!r}: the benchmark database's name must end in _bench or _bench_<suffix>")
    return urlunsplit(parts._replace(path="/postgres")), name


def _recreate_postgresql(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_postgresql(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _setup(database_url: str | None, workdir: str, *, reuse: bool = False) -> None:
    if database_url:
        if not reuse:
            _recreate_postgresql(database_url)
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
    if not reuse:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", quiet_logins=True, verbosity=0)


def _load(*, court, clerk, cases: int, batch: int, seed: int) -> dict:
    from zhixing.cases.demo import demo_cases
    from zhixing.cases.services import cases_import

    stream = demo_cases(court_code=court.code, count=cases, seed=seed)
    loaded = 0
    generate = load = 0.0
    while loaded < cases:
        started = time.perf_counter()
        inputs = [item.filing for item in islice(stream, batch)]
        generate += time.perf_counter() - started
        started = time.perf_counter()
        result = cases_import(
            court=court, inputs=inputs, actor=clerk, at=AT, source_name=f"bench-{loaded}.xlsx", file_hash="0" * 64
        )
        load += time.perf_counter() - started
        if result.status != "imported":
            sys.exit(f"batch at {loaded} refused: {result.errors[:3]}")
        loaded += len(inputs)
        if loaded % (batch * 10) == 0 or loaded == cases:
            print(f"  … {loaded:,} cases, {loaded / load:,.0f} cases/s", flush=True)
    return {"cases": loaded, "seconds": load, "rate": loaded / load, "generate_seconds": generate}


def _naive(*, court, clerk, sample: list) -> dict:
    """One Model.save() per party, case and link, one record per case; same validation as the import."""
    from django.db import transaction
    from django.utils.timezone import localdate

    from zhixing.audit.services import record
    from zhixing.cases.models import Case, CaseParty, Party
    from zhixing.cases.rules.filing import filing_problems
    from zhixing.cases.services import ID_NUMBER_AD, PHONE_AD, case_number_issue
    from zhixing.core.crypto import IndexPurpose, blind_index, encrypt_field
    from zhixing.core.field_keys import field_keyring
    from zhixing.courts.selectors import work_calendar

    keyring = field_keyring()
    calendar = work_calendar()
    today = localdate(AT)
    started = time.perf_counter()
    for data in sample:
        assert not filing_problems(data=data, today=today, calendar=calendar)
        with transaction.atomic():
            parties = []
            for person in (*data.applicants, *data.debtors):
                index = (
                    blind_index(keyring=keyring, value=person.id_number, purpose=IndexPurpose.RESIDENT_ID)
                    if person.id_number
                    else ""
                )
                found = (
                    Party.objects.filter(kind=person.kind, id_number_index=index).first()
                    if index
                    else Party.objects.filter(credit_code=person.credit_code).first()
                )
                if found is None:
                    found = Party(
                        kind=person.kind,
                        name=person.name,
                        id_number_index=index,
                        id_number_encrypted=encrypt_field(
                            keyring=keyring, plaintext=person.id_number, associated_data=ID_NUMBER_AD
                        )
                        if index
                        else "",
                        phone_encrypted=encrypt_field(keyring=keyring, plaintext=person.phone, associated_data=PHONE_AD)
                        if person.phone
                        else "",
                        credit_code=person.credit_code,
                        address=person.address,
                        created_at=AT,
                        updated_at=AT,
                    )
                    found.save()
                parties.append(found)
            number = case_number_issue(court=court, year=data.application_received_on.year, type_code=data.type_code)
            case = Case(
                court=court,
                year=number.year,
                type_code=data.type_code,
                serial=number.serial,
                number=number.format(),
                status_changed_at=AT,
                application_received_on=data.application_received_on,
                filed_on=data.application_received_on,
                amount_claimed=data.amount_claimed,
                basis_issuing_body=data.basis_issuing_body,
                basis_document_number=data.basis_document_number,
                basis_effective_on=data.basis_effective_on,
                basis_kind=data.basis_kind,
                basis_obligations=data.basis_obligations,
                created_at=AT,
                updated_at=AT,
            )
            case.save()
            for index, party in enumerate(parties):
                CaseParty(case=case, party=party, role="applicant" if index < len(data.applicants) else "debtor").save()
            record(action="cases.case.created", at=AT, actor=clerk, subject=case, case_id=case.pk,
                   data={"number": case.number})  # fmt: skip
    seconds = time.perf_counter() - started
    return {"cases": len(sample), "seconds": seconds, "rate": len(sample) / seconds}


def _floor(*, sample: list) -> dict | None:
    """Time a bare COPY of the same rows into index-carrying copies of the tables (PostgreSQL only)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return None
    envelope = "v1:k1:" + "A" * 64
    parties, cases, links, audits = [], [], [], []
    party_id = 10**9
    seen: dict[str, int] = {}
    for n, data in enumerate(sample):
        case_id = 10**9 + n
        cases.append((case_id, 1, 2026, "执", n + 1, f"（2026）豫0825执{n + 1}号", "filed", AT,
                      data.application_received_on, data.application_received_on, data.amount_claimed, Decimal(0),
                      data.basis_issuing_body, data.basis_document_number, data.basis_effective_on, data.basis_kind,
                      data.basis_obligations, "", "unknown", "unclassified", AT, AT))  # fmt: skip
        for index, person in enumerate((*data.applicants, *data.debtors)):
            identity = person.id_number or person.credit_code
            if identity in seen:  # the same rows the import writes: one row per party
                links.append(
                    (
                        10**9 + len(links),
                        case_id,
                        seen[identity],
                        "applicant" if index < len(data.applicants) else "debtor",
                    )
                )
                continue
            party_id += 1
            seen[identity] = party_id
            parties.append((party_id, person.kind, person.name, envelope, f"{party_id:064d}", "410825********1234",
                            None, envelope, f"{party_id:064d}", "138****5678", person.address, person.credit_code,
                            "", "", False, AT, AT))  # fmt: skip
            links.append(
                (10**9 + len(links), case_id, party_id, "applicant" if index < len(data.applicants) else "debtor")
            )
        audits.append((99, n + 1, AT, 1, case_id, 1, "bench", "cases.case.created", "cases.case", str(case_id),
                       f"（2026）豫0825执{n + 1}号", '{"number":"x"}', "0" * 64, "1" * 64))  # fmt: skip
    tables = {
        "cases_party": ("bench_party", "id, kind, name, id_number_encrypted, id_number_index, id_number_masked, "
                        "birth_date, phone_encrypted, phone_index, phone_masked, address, credit_code, "
                        "legal_representative, employer, is_public_servant, created_at, updated_at", parties),
        "cases_case": ("bench_case", "id, court_id, year, type_code, serial, number, status, status_changed_at, "
                       "application_received_on, filed_on, amount_claimed, costs, basis_issuing_body, "
                       "basis_document_number, basis_effective_on, basis_kind, basis_obligations, "
                       "trial_case_number, debtor_attitude, triage_class, created_at, updated_at", cases),
        "cases_caseparty": ("bench_caseparty", "id, case_id, party_id, role", links),
        "audit_auditrecord": ("bench_audit", "chain, seq, at, court_id, case_id, actor_id, actor_label, action, "
                              "subject_type, subject_id, subject_label, data, prev_hash, hash", audits),
    }  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        for source, (target, _columns, _rows) in tables.items():
            cursor.execute(f"CREATE TEMP TABLE {target} (LIKE {source} INCLUDING ALL)")
        connection.ensure_connection()
        raw = connection.connection.cursor()
        started = time.perf_counter()
        for target, columns, rows in tables.values():
            with raw.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        seconds = time.perf_counter() - started
        for target, _columns, _rows in tables.values():
            cursor.execute(f"DROP TABLE {target}")
    return {"cases": len(sample), "seconds": seconds, "rate": len(sample) / seconds}


def _spread(*, court) -> None:
    """Give the loaded cases realistic statuses, teams and executors (bench only: one UPDATE each)."""
    from django.db import connection

    from zhixing.courts.models import Membership

    members = list(
        Membership.objects.filter(court=court, role__in=["executor", "team_leader"], team__isnull=False)
        .order_by("user_id")
        .values_list("user_id", "team_id")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET status = CASE WHEN id %% 100 < 14 THEN 'filed' WHEN id %% 100 < 56 THEN "
            "'in_execution' WHEN id %% 100 < 63 THEN 'suspended' WHEN id %% 100 < 92 THEN 'closed' ELSE status END "
            "WHERE court_id = %s AND status = 'filed'",
            [court.pk],
        )
        for index, (user_id, team_id) in enumerate(members):
            cursor.execute(
                "UPDATE cases_case SET executor_id = %s, team_id = %s WHERE court_id = %s AND status <> 'filed' "
                "AND status <> 'deferred' AND id %% %s = %s",
                [user_id, team_id, court.pk, len(members), index],
            )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _list(*, court, clerk, repeat: int) -> list[dict]:
    from django.db import connection, reset_queries

    from zhixing.cases.models import CaseParty
    from zhixing.cases.selectors import case_list, case_list_queryset, cursor_encode
    from zhixing.cases.selectors._list import PAGE_SIZE, CaseFilters, _page_ids  # the page query itself
    from zhixing.courts.access import court_scope_for

    scope = court_scope_for(user=clerk, today=AT.date())
    common = (
        CaseParty.objects.filter(case__court=court, role="debtor", party__kind="natural_person")
        .values_list("party__name", flat=True)
        .first()
    )
    combos = {
        "执行中": {"status": "in_execution"},
        f"当事人“{common[:1]}”（姓名前缀）": {"party": common[:1]},
        "标的额5万–50万且2025年立案": {
            "amount_min": Decimal(50_000), "amount_max": Decimal(500_000),
            "filed_from": date(2025, 1, 1), "filed_to": date(2025, 12, 31),
        },
    }  # fmt: skip
    results = []
    for label, filters in combos.items():
        ordered = case_list_queryset(scope=scope, filters=filters).order_by("-filed_on", "-id")
        for page in (1, 1000):
            cursor = None
            if page > 1:
                last = ordered.values_list("filed_on", "id")[(page - 1) * PAGE_SIZE - 1 : (page - 1) * PAGE_SIZE]
                if not last:
                    results.append({"filters": label, "page": page, "missing": True})
                    continue
                cursor = cursor_encode(filed_on=last[0][0], case_id=last[0][1])
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                result = case_list(scope=scope, filters=filters, after=cursor)
                timings.append((time.perf_counter() - started) * 1000)
            plan = ""
            if connection.vendor == "postgresql":
                reset_queries()
                with connection.execute_wrapper(_capture := _Capture()):
                    _page_ids(scope=scope, filters=CaseFilters.of(filters), after=cursor, size=PAGE_SIZE + 1)
                with connection.cursor() as db:
                    db.execute("EXPLAIN (ANALYZE, BUFFERS) " + _capture.sql, _capture.params)
                    plan = "\n".join(row[0] for row in db.fetchall())
            results.append(
                {
                    "filters": label,
                    "page": page,
                    "rows": len(result.rows),
                    "p50": statistics.median(timings),
                    "p95": _percentile(timings, 0.95),
                    "plan": plan,
                    "index": ("Index" in plan) if plan else None,
                }
            )
    return results


class _Capture:
    """Capture the last SQL statement run (for EXPLAIN)."""

    sql = ""
    params: tuple = ()

    def __call__(self, execute, sql, params, many, context):
        self.sql, self.params = sql, params
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--naive", type=int, default=10_000, help="cases in the naive and floor sample")
    parser.add_argument("--repeat", type=int, default=30, help="list calls per measurement")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL database at the end")
    parser.add_argument(
        "--reuse", action="store_true", help="measure naive, floor and list on a database an earlier run loaded"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhixing-bench-") as workdir:
        _setup(args.database_url, workdir, reuse=args.reuse and bool(args.database_url))
        from django.db import connection

        from zhixing.cases.demo import demo_cases
        from zhixing.cases.models import Case
        from zhixing.courts.models import Court, User

        wenxian, wuzhi = Court.objects.get(code="豫0825"), Court.objects.get(code="豫0823")
        clerk, other_clerk = User.objects.get(username="wx_lian"), User.objects.get(username="wz_lian")
        print(f"database: {connection.vendor}; cases: {args.cases:,}; batch: {args.batch:,}", flush=True)
        if args.reuse:
            loaded = Case.objects.filter(court=wenxian).count()
            load = {"cases": loaded, "seconds": float("nan"), "rate": float("nan"), "generate_seconds": float("nan")}
        else:
            load = _load(court=wenxian, clerk=clerk, cases=args.cases, batch=args.batch, seed=args.seed)
        naive_n = min(args.naive, args.cases)
        sample_seed = args.seed + (2 if args.reuse else 1)
        sample = [item.filing for item in demo_cases(court_code=wuzhi.code, count=naive_n, seed=sample_seed)]
        naive = _naive(court=wuzhi, clerk=other_clerk, sample=sample)
        floor = _floor(sample=sample)
        _spread(court=wenxian)
        lists = _list(court=wenxian, clerk=clerk, repeat=args.repeat)
        print()
        print(f"bulk import : {load['cases']:>9,} cases in {load['seconds']:8.1f} s = {load['rate']:>9,.0f} cases/s"
              f"   (generation {load['generate_seconds']:.1f} s, not counted)")  # fmt: skip
        print(f"naive save(): {naive['cases']:>9,} cases in {naive['seconds']:8.1f} s = {naive['rate']:>9,.0f} cases/s"
              f"   → import is {load['rate'] / naive['rate']:.1f}× the naive path")  # fmt: skip
        if floor is not None:
            print(f"bare COPY   : {floor['cases']:>9,} cases in {floor['seconds']:8.1f} s = {floor['rate']:>9,.0f} "
                  f"cases/s   → import reaches {load['rate'] / floor['rate']:.1%} of the floor")  # fmt: skip
        else:
            print("bare COPY   : n/a (PostgreSQL only)")
        print(f"ratios      : import / naive = {load['rate'] / naive['rate']:.2f}"
              + (f"; import / floor = {load['rate'] / floor['rate']:.3f}; floor / naive = "
                 f"{floor['rate'] / naive['rate']:.1f}" if floor is not None else "; floor n/a"))  # fmt: skip
        print(f"target ≥ 10,000 cases/s: {'met' if load['rate'] >= 10_000 else 'NOT met'}")
        print()
        print(f"{'filters':<28}{'page':>6}{'rows':>6}{'p50 ms':>9}{'p95 ms':>9}  index")
        for item in lists:
            if item.get("missing"):
                print(f"{item['filters']:<28}{item['page']:>6}   (fewer than {item['page']} pages)")
                continue
            index = {True: "yes", False: "NO", None: "n/a"}[item["index"]]
            print(
                f"{item['filters']:<28}{item['page']:>6}{item['rows']:>6}"
                f"{item['p50']:>9.1f}{item['p95']:>9.1f}  {index}"
            )
        for item in lists:
            if item.get("plan"):
                print(f"\nEXPLAIN ANALYZE — {item['filters']}, page {item['page']}:\n{item['plan']}")
        if args.database_url and args.drop:
            _drop_postgresql(args.database_url)
            print("\nbench database dropped.")


if __name__ == "__main__":
    main()
