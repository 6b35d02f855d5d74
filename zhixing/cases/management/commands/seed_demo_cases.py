"""
``manage.py seed_demo_cases``: fill the demo basic courts with a living docket (idempotent).

About 250 generated cases per court (温县, 武陟, 临沭) go through the bulk import (the filing's validation,
encryption, one audit record per case); then each case is moved through ``case_transition`` to the status
the generator chose, so that every status is on screen. A court that already has cases is skipped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from zhixing.cases.choices import CaseStatus, ImportStatus
from zhixing.cases.demo import DEMO_DATE, demo_cases
from zhixing.cases.models import Case
from zhixing.cases.services import case_transition, cases_import
from zhixing.courts.choices import Role
from zhixing.courts.demo import STAFF
from zhixing.courts.models import Court, Membership

DEMO_COURTS = ("豫0825", "豫0823", "鲁1329")
#: The moves from 已立案 (or 暂缓立案) to each target status, with the reason recorded.
PATHS: dict[CaseStatus, tuple[tuple[CaseStatus, str], ...]] = {
    CaseStatus.IN_EXECUTION: ((CaseStatus.IN_EXECUTION, "立案审查完毕，移送执行实施"),),
    CaseStatus.SUSPENDED: (
        (CaseStatus.IN_EXECUTION, "立案审查完毕，移送执行实施"),
        (CaseStatus.SUSPENDED, "案外人对执行标的提出确有理由的异议，裁定中止执行"),
    ),
    CaseStatus.CLOSED: (
        (CaseStatus.IN_EXECUTION, "立案审查完毕，移送执行实施"),
        (CaseStatus.CLOSED, "被执行人已全部履行，执行完毕"),
    ),
    CaseStatus.WITHDRAWN: ((CaseStatus.WITHDRAWN, "申请执行人撤回执行申请"),),
}


class Command(BaseCommand):
    help = "为演示基层法院载入约250件演示案件（可重复运行：已有案件的法院跳过）。"

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=250, help="每个法院的案件数，默认250")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子，默认2026")

    def handle(self, *args, cases: int = 250, seed: int = 2026, **options):
        at = timezone.now()
        today = min(timezone.localdate(at), DEMO_DATE)
        started = time.perf_counter()
        for code in DEMO_COURTS:
            court = Court.objects.filter(code=code).first()
            if court is None:
                raise CommandError(f"没有找到演示法院“{code}”，请先运行 manage.py seed_demo。")
            if Case.objects.filter(court=court).exists():
                self.stdout.write(f"{court.name}：已有案件，跳过。")
                continue
            count = _seed_court(court=court, cases=cases, seed=seed, today=today, at=at)
            self.stdout.write(f"{court.name}：载入演示案件 {count} 件。")
        self.stdout.write(f"用时 {time.perf_counter() - started:.1f} 秒。")


def _seed_court(*, court: Court, cases: int, seed: int, today, at) -> int:
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
        inputs.append(filing)
    name = f"演示案件-{court.code}-{seed}.xlsx"
    with transaction.atomic():
        batch = cases_import(
            court=court,
            inputs=inputs,
            actor=clerk,
            at=at,
            source_name=name,
            file_hash=hashlib.new("sm3", name.encode()).hexdigest(),
        )
        if batch.status != ImportStatus.IMPORTED:
            raise CommandError(f"{court.name}的演示案件未能导入：{batch.errors[:3]}")
        imported = list(Case.objects.filter(court=court).order_by("pk"))
        for case, item in zip(imported, docket, strict=True):
            for step, (status, reason) in enumerate(PATHS.get(item.status, ())):
                case_transition(case=case, to=status, actor=clerk, at=at + timedelta(seconds=step + 1), reason=reason)
    return len(imported)
