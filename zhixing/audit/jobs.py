"""Periodic jobs of the audit app, run by ``manage.py runjobs`` (embedded) or Celery beat."""

from __future__ import annotations

from datetime import datetime, timedelta

from zhixing.audit import services
from zhixing.core.jobs import job


@job(name="audit.verify", every=timedelta(days=1), label="审计链校验")
def audit_verify_daily(*, at: datetime) -> str:
    """Verify every audit chain once a day and record the outcome; return its one-line summary."""
    return services.chain_verify_record(at=at).summary()
