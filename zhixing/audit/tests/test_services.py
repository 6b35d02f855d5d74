"""Verification as an audited act: its outcome is appended to chain 0 without breaking any chain."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import transaction

from zhixing.audit.jobs import audit_verify_daily
from zhixing.audit.models import AuditRecord
from zhixing.audit.services import chain_verify_record, record
from zhixing.audit.tasks import audit_verify_task
from zhixing.audit.tests.conftest import sql
from zhixing.core.jobs import registered_jobs


def _verified_rows() -> list[dict]:
    return list(AuditRecord.objects.filter(action="audit.chain.verified").order_by("seq").values())


@pytest.mark.django_db
def test_outcome_is_recorded_on_chain_zero(append, at, django_user_model):
    append(3, court_id=7)
    person = django_user_model.objects.create_user(username="auditor", name="审计员", password="x" * 12)

    report = chain_verify_record(at=at, actor_id=person.pk)

    rows = _verified_rows()
    assert report.ok is True
    assert len(rows) == 1
    assert (rows[0]["chain"], rows[0]["court_id"], rows[0]["actor_id"]) == (0, None, person.pk)
    assert rows[0]["subject_label"] == "全部审计链"
    assert json.loads(rows[0]["data"]) == {
        "ok": True,
        "chains": 1,
        "records": 3,
        "seconds": round(report.seconds, 3),
        "breaks": [],
    }


@pytest.mark.django_db
def test_repeated_verifications_keep_every_chain_sound(append, at):
    append(2, court_id=7)

    first = chain_verify_record(at=at)
    second = chain_verify_record(at=at)
    third = chain_verify_record(at=at)

    assert (first.records, second.records, third.records) == (2, 3, 4)
    assert (first.ok, second.ok, third.ok) == (True, True, True)
    assert list(AuditRecord.objects.filter(chain=0).values_list("seq", flat=True).order_by("seq")) == [1, 2, 3]


@pytest.mark.django_db
def test_broken_chain_outcome_names_the_break(append, at):
    append(3, court_id=7)
    sql("UPDATE audit_auditrecord SET actor_label = '某人' WHERE chain = 7 AND seq = 2")

    report = chain_verify_record(at=at)

    assert report.ok is False
    assert json.loads(_verified_rows()[0]["data"])["breaks"] == [
        {"chain": 7, "seq": 2, "problem": "记录内容与其哈希不符（记录被修改）"}
    ]


@pytest.mark.django_db
def test_task_returns_the_report_as_a_dict(append):
    append(2, court_id=7)

    result = audit_verify_task.delay(chain=7).get()

    assert {key: result[key] for key in ("ok", "chains", "records", "breaks")} == {
        "ok": True,
        "chains": 1,
        "records": 2,
        "breaks": [],
    }
    assert _verified_rows()[0]["subject_label"] == "审计链 7"


@pytest.mark.django_db
def test_daily_job_is_registered_and_summarises(append, at):
    append(2, court_id=7)

    job = registered_jobs()["audit.verify"]
    summary = audit_verify_daily(at=at)

    assert (job.label, job.every.days) == ("审计链校验", 1)
    assert summary == "校验 1 条审计链、2 条记录，全部完整。"
    assert len(_verified_rows()) == 1


@pytest.mark.django_db
def test_command_reports_a_sound_log(append, capsys):
    append(4, court_id=7)

    call_command("audit_verify")

    out = capsys.readouterr().out
    assert "已校验 1 条链、4 条记录" in out
    assert "条/秒" in out
    assert "审计链完整。" in out
    assert len(_verified_rows()) == 1


@pytest.mark.django_db
def test_command_names_the_first_broken_link_and_exits_1(append, capsys):
    append(4, court_id=7)
    sql("DELETE FROM audit_auditrecord WHERE chain = 7 AND seq = 2")

    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify", "--no-record")

    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "链 7 第 2 条：缺少第 2 条记录（记录被删除，或序号被改动）" in err
    assert _verified_rows() == []


@pytest.mark.django_db
def test_verification_while_recording_in_the_same_chain_stays_sound(append, at):
    append(3, court_id=0)

    chain_verify_record(at=at)
    with transaction.atomic():
        record(action="courts.team.created", at=at)
    report = chain_verify_record(at=at)

    assert report.ok is True
    assert list(AuditRecord.objects.filter(chain=0).values_list("seq", flat=True).order_by("seq")) == [1, 2, 3, 4, 5, 6]
