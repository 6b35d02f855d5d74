"""
``manage.py seed_demo_cases``: fill the demo basic courts with a living docket (idempotent).

About 250 generated cases per court (温县, 武陟, 临沭) go through the bulk import (the filing's validation,
encryption, one audit record per case; ``cases_import`` starts each case's flow). The demo courts go live
on 2026-01-01 (their staff are appointed from then): the cases received before are imported at go-live,
the later ones a month at a time at the end of each month, so that each case enters its court's routing
model about when it was filed. Then the court lives its history, in time order, through the services:

- each case is moved through ``case_transition`` to the status the generator chose (执行中 the day after
  import, 中止 or 结案 some weeks later), so that every status is on screen;
- the network inquiry (网络查控) of most cases whose 5 days have passed is completed with a work note by the
  case's executor or an executor of its team: a few days after filing (now and then late), or — for a
  case from before go-live — entered afterwards (补录) in the first weeks;
- a few recent cases get their 执行通知书 and 报告财产令 generated, which completes their notice node (each
  is a rendered .docx, too slow to make for every case; the other notices stay open, most of them overdue).

Finally one sweep at the demo date marks warnings and overdue nodes, moves cases whose stage ran out of
time (积分 前减后加) and enters the cases unfinished after six months in the ledger. A court that already
has cases is skipped, and the sweep runs only when a court was seeded: running it again changes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from zhixing.cases.choices import CaseStatus, ImportStatus
from zhixing.cases.demo import DEMO_DATE, DemoCase, demo_cases
from zhixing.cases.models import Case
from zhixing.cases.services import case_document_generate, case_transition, cases_import
from zhixing.courts.access import role_holders
from zhixing.courts.choices import Role
from zhixing.courts.demo import DEMO_START, STAFF, seed_moment
from zhixing.courts.models import Court, Membership
from zhixing.flow.models import NodeInstance
from zhixing.flow.services import flow_sweep, node_complete

DEMO_COURTS = ("豫0825", "豫0823", "鲁1329")
SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The reason recorded with each status move.
REASONS: dict[CaseStatus, str] = {
    CaseStatus.IN_EXECUTION: "立案审查完毕，移送执行实施",
    CaseStatus.SUSPENDED: "案外人对执行标的提出确有理由的异议，裁定中止执行",
    CaseStatus.CLOSED: "被执行人已全部履行，执行完毕",
    CaseStatus.WITHDRAWN: "申请执行人撤回执行申请",
}
#: The work notes an executor writes when the network inquiry is started (网络执行查控).
INQUIRY_NOTES = (
    "通过总对总网络执行查控系统查询被执行人名下存款、车辆、不动产、证券、股权，已发起查询",
    "已发起总对总网络查控，并向本地不动产登记中心、车管所点对点查询",
    "网络查控已发起，查得被执行人名下银行存款，已办理冻结",
    "已通过网络执行查控系统查询，被执行人名下暂未发现可供执行的财产",
    "已发起网络查控，查得被执行人名下小型轿车一辆，已办理查封登记",
)
#: The share of the cases whose inquiry is on record (the rest stay overdue, as on a real docket).
INQUIRY_DONE = 0.85
#: Cases per court whose notices are generated (each document is a rendered .docx: a few show the path).
NOTICE_CASES = 3


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


class Command(BaseCommand):
    help = "为演示基层法院载入约250件演示案件并模拟其办理过程（可重复运行：已有案件的法院跳过）。"

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=250, help="每个法院的案件数，默认250")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子，默认2026")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="演示日期（默认今天，最晚2026-11-23）"
        )

    def handle(self, *args, cases: int = 250, seed: int = 2026, today: date | None = None, **options):
        today = today or min(timezone.localdate(timezone.now()), DEMO_DATE)
        started = time.perf_counter()
        seeded = 0
        for code in DEMO_COURTS:
            court = Court.objects.filter(code=code).first()
            if court is None:
                raise CommandError(f"没有找到演示法院“{code}”，请先运行 manage.py seed_demo。")
            if Case.objects.filter(court=court).exists():
                self.stdout.write(f"{court.name}：已有案件，跳过。")
                continue
            count, lived = _seed_court(court=court, cases=cases, seed=seed, today=today)
            seeded += 1
            self.stdout.write(
                f"{court.name}：载入演示案件 {count} 件；状态变更 {lived['transitions']} 次，"
                f"网络查控记录 {lived['inquiries']} 件，生成通知文书 {lived['notices']} 件。"
            )
        if seeded:
            with transaction.atomic():
                report = flow_sweep(at=_moment(today, 7))
            self.stdout.write(f"节点管控（{today.isoformat()}）：{report.summary()}。")
        self.stdout.write(f"用时 {time.perf_counter() - started:.1f} 秒。")


def _seed_court(*, court: Court, cases: int, seed: int, today: date) -> tuple[int, dict[str, int]]:
    clerk_name = next(username for username, _n, role, _t in STAFF[court.code] if role == Role.FILING_CLERK)
    clerk = Membership.objects.select_related("user").get(court=court, user__username=clerk_name).user
    executors = list(
        Membership.objects.filter(court=court, role__in=[Role.EXECUTOR, Role.TEAM_LEADER], team__isnull=False)
        .order_by("user__username")
        .values_list("user_id", "team_id")
    )
    # In the order the applications arrived, so that 案号 rise with the filing date as on a real docket.
    docket = sorted(
        demo_cases(court_code=court.code, count=cases, seed=seed, today=today),
        key=lambda item: item.filing.application_received_on,
    )
    inputs = []
    for index, item in enumerate(docket):
        filing = item.filing
        if executors and item.status not in (CaseStatus.FILED, CaseStatus.DEFERRED, CaseStatus.WITHDRAWN):
            executor_id, team_id = executors[index % len(executors)]
            filing = dataclasses.replace(filing, executor_id=executor_id, team_id=team_id)
        inputs.append((item, filing))
    with transaction.atomic():
        imported = _import_by_month(court=court, inputs=inputs, clerk=clerk, seed=seed, today=today)
        lived = _live(court=court, imported=imported, clerk=clerk, seed=seed, today=today)
    return len(imported), lived


def _import_by_month(
    *, court: Court, inputs: list[tuple[DemoCase, Any]], clerk: Any, seed: int, today: date
) -> list[tuple[Case, DemoCase, datetime]]:
    """Import the docket from before go-live at go-live, then each month's filings at 17:00 on its last day."""
    imported: list[tuple[Case, DemoCase, datetime]] = []
    last_pk = 0

    def batch_of(row: tuple[DemoCase, Any]) -> str:
        received = row[1].application_received_on
        return "上线前" if received < DEMO_START else received.strftime("%Y-%m")

    for label, group in groupby(inputs, key=batch_of):
        rows = list(group)
        day = max(filing.application_received_on for _item, filing in rows)
        at = seed_moment() if day < DEMO_START else _moment(day, 17) if day < today else _moment(today, 6)
        name = f"演示案件-{court.code}-{seed}-{label}.xlsx"
        batch = cases_import(
            court=court,
            inputs=[filing for _item, filing in rows],
            actor=clerk,
            at=at,
            source_name=name,
            file_hash=hashlib.new("sm3", name.encode()).hexdigest(),
        )
        if batch.status != ImportStatus.IMPORTED:
            raise CommandError(f"{court.name}的演示案件未能导入：{batch.errors[:3]}")
        new = list(Case.objects.filter(court=court, pk__gt=last_pk).order_by("pk"))
        imported.extend((case, item, at) for case, (item, _filing) in zip(new, rows, strict=True))
        last_pk = new[-1].pk
    return imported


def _live(
    *, court: Court, imported: list[tuple[Case, DemoCase, datetime]], clerk: Any, seed: int, today: date
) -> dict[str, int]:
    """Play each case's history (status moves, the network inquiry, a few notices) in time order."""
    rng = random.Random(f"{court.code}:{seed}:life")  # noqa: S311 - synthetic history, reproducible by design
    last = _moment(today, 6)
    events: list[tuple[datetime, int, Callable[[], None]]] = []
    counts = {"transitions": 0, "inquiries": 0, "notices": 0}
    actor_of = _actors(court=court, today=today)
    inquiries = {
        node.case_id: node
        for node in NodeInstance.objects.filter(court=court, key="network_inquiry", status="open", due_on__lt=today)
    }

    def clamp(moment: datetime, after: datetime) -> datetime:
        return max(min(moment, last), after + timedelta(minutes=1))

    def transition(case: Case, to: CaseStatus) -> Callable[[], None]:
        def move(at: datetime) -> None:
            case_transition(case=case, to=to, actor=clerk, at=at, reason=REASONS[to])
            counts["transitions"] += 1

        return move

    for case, item, imported_at in imported:
        steps: list[tuple[datetime, Callable[[datetime], None]]] = []
        if item.status == CaseStatus.WITHDRAWN:
            steps.append(
                (clamp(imported_at + timedelta(days=rng.randint(1, 30)), imported_at), transition(case, item.status))
            )
        elif item.status in (CaseStatus.IN_EXECUTION, CaseStatus.SUSPENDED, CaseStatus.CLOSED):
            begun = clamp(imported_at + timedelta(hours=16), imported_at)
            steps.append((begun, transition(case, CaseStatus.IN_EXECUTION)))
            if item.status != CaseStatus.IN_EXECUTION:
                days = rng.randint(15, 120) if item.status == CaseStatus.SUSPENDED else rng.randint(20, 200)
                steps.append((clamp(begun + timedelta(days=days), begun), transition(case, item.status)))
        finished = steps[-1][0] if item.status in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN) else last
        node = inquiries.get(case.pk)
        if node is not None and rng.random() < INQUIRY_DONE:
            note = rng.choice(INQUIRY_NOTES)
            if node.anchor_on < DEMO_START:  # worked before go-live: entered afterwards, in the first weeks
                done_at = _moment(DEMO_START + timedelta(days=rng.randint(3, 40)), 10, rng.randint(0, 59))
                note = f"补录：{note}"
            else:  # mostly within the 5 days, now and then late
                lag = rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6, 9))
                done_at = _moment(node.anchor_on + timedelta(days=lag), 10, rng.randint(0, 59))
            done_at = max(done_at, imported_at + timedelta(minutes=30))
            if done_at < finished and done_at < last:
                steps.append((done_at, _inquiry(node=node, actor=actor_of(case), note=note, counts=counts)))
        for at, step in steps:
            events.append((at, len(events), lambda step=step, at=at: step(at)))
    # a few recent cases in execution: their notices generated (which completes the notice node)
    recent = [case for case, item, _at in imported if item.status == CaseStatus.IN_EXECUTION][-NOTICE_CASES:]
    for case in recent:
        at = clamp(_moment(case.application_received_on + timedelta(days=2), 15), _moment(case.filed_on, 17, 30))
        events.append((at, len(events), _notices(case=case, actor=actor_of(case), at=at, counts=counts)))
    for _at, _order, event in sorted(events, key=lambda e: (e[0], e[1])):
        event()
    return counts


def _actors(*, court: Court, today: date) -> Callable[[Case], Any]:
    """Return who works on a case: its executor, else an executor of its team, else one of the court's."""
    by_team: dict[int | None, list[Any]] = defaultdict(list)
    for person in role_holders(court_id=court.pk, role=Role.EXECUTOR, today=today):
        by_team[None].append(person)
    for membership in Membership.objects.filter(court=court, role=Role.EXECUTOR, team__isnull=False).select_related(
        "user"
    ):
        by_team[membership.team_id].append(membership.user)

    def actor(case: Case) -> Any:
        case.refresh_from_db(fields=["executor", "team"])
        if case.executor_id is not None:
            return case.executor
        team = by_team.get(case.team_id) or by_team[None]
        return team[case.pk % len(team)]

    return actor


def _inquiry(*, node: NodeInstance, actor: Any, note: str, counts: dict[str, int]) -> Callable[[datetime], None]:
    def complete(at: datetime) -> None:
        node_complete(node_id=node.pk, actor=actor, at=at, note=note)
        counts["inquiries"] += 1

    return complete


def _notices(*, case: Case, actor: Any, at: datetime, counts: dict[str, int]) -> Callable[[], None]:
    def generate() -> None:
        for template in ("execution_notice", "property_report_order"):
            counts["notices"] += len(case_document_generate(case=case, template_code=template, actor=actor, at=at))

    return generate
