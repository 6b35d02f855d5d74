"""The audit verification runs through a real Celery worker against Redis (CI sets REDIS_URL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from zhixing.audit.models import AuditRecord
from zhixing.audit.tasks import audit_verify_task

ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    """Return the DATABASE_URL of the test database, which the worker must use too."""
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"], safe="")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if connection.is_in_memory_db():
        pytest.skip("the test database is in memory, which a worker process cannot share: runs on PostgreSQL")
    return f"sqlite:///{db['NAME']}"


@pytest.fixture
def redis_url() -> str:
    """
    Return REDIS_URL; skip without it, or fail when CI requires the services.

    The check comes after the database's: the SQLite run of the suite (in memory, without REDIS_URL)
    skips, and the PostgreSQL run, which CI gives Redis, must find it.
    """
    if not settings.REDIS_URL:
        if os.environ.get("ZHIXING_REQUIRE_SERVICES") == "1":
            pytest.fail("ZHIXING_REQUIRE_SERVICES=1 but REDIS_URL is not set: the worker test cannot run")
        pytest.skip("REDIS_URL is not set")
    return settings.REDIS_URL


@pytest.fixture
def worker(transactional_db, request):
    """Start ``celery -A config worker`` on the test database; stop it afterwards."""
    database_url = _database_url()
    redis_url = request.getfixturevalue("redis_url")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", "celery",
         "--concurrency=1", "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = eager
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.mark.services
def test_verification_runs_on_a_real_worker(worker, append):
    append(5, court_id=7)
    started = time.monotonic()

    result = audit_verify_task.delay(chain=7)
    assert type(result).__name__ == "AsyncResult"  # sent to Redis, not run in this process
    try:
        report = result.get(timeout=60)
    except Exception:
        worker.terminate()
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
        pytest.fail(f"the worker did not answer ({time.monotonic() - started:.0f} s); its output:\n{output}")

    assert {key: report[key] for key in ("ok", "chains", "records", "breaks")} == {
        "ok": True,
        "chains": 1,
        "records": 5,
        "breaks": [],
    }
    assert list(AuditRecord.objects.filter(chain=0).values_list("action", "subject_label")) == [
        ("audit.chain.verified", "审计链 7")
    ]
