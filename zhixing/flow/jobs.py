"""Periodic jobs of the flow app, run by ``manage.py runjobs`` (embedded) or Celery beat."""

from __future__ import annotations

from datetime import datetime, timedelta

from zhixing.core.jobs import job
from zhixing.flow import services
from zhixing.flow.services import digest_raise


@job(name="flow.sweep", every=timedelta(minutes=30), label="节点期限巡检（预警、超期、流转、超期台帐）")
def flow_sweep_job(*, at: datetime) -> str:
    """Run the sweep; return its summary."""
    return services.flow_sweep(at=at).summary()


@job(name="flow.digest", every=timedelta(hours=6), label="每日待办摘要")
def flow_digest_job(*, at: datetime) -> str:
    """Raise today's digest for every executor with open nodes due within 3 days or overdue (once a day each)."""
    return f"每日待办摘要{digest_raise(at=at)}条"
