"""``manage.py runjobs``: run the registered periodic jobs in a loop (the embedded default)."""

from __future__ import annotations

import time
from datetime import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhixing.core.jobs import registered_jobs


class Command(BaseCommand):
    help = "循环运行各模块登记的定时任务（嵌入式部署；生产环境由 Celery beat 调度）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="每个任务运行一次后退出")
        parser.add_argument("--tick", type=float, default=5.0, help="检查间隔（秒）")

    def handle(self, *args, once: bool = False, tick: float = 5.0, **options):
        jobs = registered_jobs()
        last_run: dict[str, datetime] = {}
        self.stdout.write(f"定时任务：{', '.join(f'{j.label}（{j.name}）' for j in jobs.values()) or '无'}")
        while True:
            now = timezone.now()
            for name, spec in jobs.items():
                if name in last_run and now - last_run[name] < spec.every:
                    continue
                last_run[name] = now
                try:
                    summary = spec.run(at=now)
                except Exception as error:  # a failing job must not stop the others
                    self.stderr.write(f"[{now:%Y-%m-%d %H:%M:%S}] {spec.label} 失败：{error!r}")
                else:
                    self.stdout.write(f"[{now:%Y-%m-%d %H:%M:%S}] {spec.label}：{summary}")
            if once:
                return
            time.sleep(tick)
