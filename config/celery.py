"""
The Celery application.

With ``REDIS_URL`` set, tasks go through Redis to workers (``celery -A config worker``) and periodic
jobs run under ``celery -A config beat``; without it (the embedded default) tasks run in process and
``manage.py runjobs`` runs the periodic jobs.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("zhixing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_periodic_jobs(sender: Celery, **_: object) -> None:
    """Give Celery beat the same periodic jobs that ``manage.py runjobs`` runs in the embedded mode."""
    from zhixing.core.jobs import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
