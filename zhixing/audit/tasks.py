"""Celery entry points of the audit app."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

from zhixing.audit import services


@shared_task(name="zhixing.audit.tasks.audit_verify_task")
def audit_verify_task(*, chain: int | None = None, actor_id: int | None = None) -> dict[str, Any]:
    """Verify the audit chains (every one, or ``chain``), record the outcome, and return the report."""
    return services.chain_verify_record(at=timezone.now(), actor_id=actor_id, chain=chain).as_dict()
