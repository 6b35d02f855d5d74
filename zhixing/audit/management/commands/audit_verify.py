"""``manage.py audit_verify``: check every audit chain and name the first broken link of each."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhixing.audit import services
from zhixing.audit.verify import chain_verify


class Command(BaseCommand):
    help = "校验审计链：逐条重算哈希，指出每条链第一处被破坏的位置。链被破坏时以状态码 1 退出。"

    def add_arguments(self, parser):
        parser.add_argument("--chain", type=int, default=None, help="只校验这一条链（法院编号；0 为系统链）")
        parser.add_argument("--no-record", action="store_true", help="不把校验结果写入审计日志")

    def handle(self, *args, chain: int | None = None, no_record: bool = False, **options):
        if no_record:
            report = chain_verify(chain=chain)
        else:
            report = services.chain_verify_record(at=timezone.now(), chain=chain)
        self.stdout.write(
            f"已校验 {report.chains} 条链、{report.records} 条记录，用时 {report.seconds:.3f} 秒"
            f"（{report.records_per_second:,.0f} 条/秒）。"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS("审计链完整。"))
            return
        for item in report.breaks:
            self.stderr.write(self.style.ERROR(f"链 {item.chain} 第 {item.seq} 条：{item.problem}"))
        self.stderr.write(self.style.ERROR(f"共 {len(report.breaks)} 条链被破坏。"))
        sys.exit(1)
