"""Celery entry point for periodic jobs (production: sent by beat)."""

from celery import shared_task
from django.utils import timezone

from zhixing.core.jobs import job_run


@shared_task(name="zhixing.core.tasks.job_run_task")
def job_run_task(*, name: str) -> str:
    """Run the registered periodic job ``name`` now."""
    return str(job_run(name=name, at=timezone.now()))
