"""The sweep runs as a periodic job through a real Celery worker against Redis (the production path)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from zhixing.audit.tests.test_worker import redis_url, worker  # noqa: F401 -- fixtures
from zhixing.core.tasks import job_run_task
from zhixing.flow.models import NodeInstance, StageVisit


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_sweep_job_runs_on_a_real_worker(worker, load_preset, file):  # noqa: F811
    load_preset("鲁1329", "linshu")
    case = file("鲁1329", "ls_lian", on=date(2026, 1, 5))
    assert not NodeInstance.objects.filter(case=case, overdue_at__isnull=False).exists()
    started = time.monotonic()

    result = job_run_task.delay(name="flow.sweep")
    assert type(result).__name__ == "AsyncResult"  # sent to Redis, not run in this process
    try:
        summary = result.get(timeout=90)
    except Exception:
        worker.terminate()
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
        pytest.fail(f"the worker did not answer ({time.monotonic() - started:.0f} s); its output:\n{output}")

    # filed in January and never worked: by now its notices are overdue and the process stage has timed out
    assert "节点超期" in summary
    overdue = set(NodeInstance.objects.filter(case=case, overdue_at__isnull=False).values_list("key", flat=True))
    assert {"execution_notice", "network_inquiry"} <= overdue
    assert StageVisit.objects.filter(case=case, exit="timed_out", stage__code="liucheng").count() == 1
