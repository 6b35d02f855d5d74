"""The database refuses to change or remove an audit record unless the test-only purge switch is on."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from zhixing.audit.models import AuditChainHead, AuditRecord
from zhixing.audit.services import record
from zhixing.audit.tests.conftest import sql

REFUSED = "审计记录只能追加，不能修改或删除"


def _snapshot() -> list[tuple]:
    return list(AuditRecord.objects.order_by("id").values_list("id", "chain", "seq", "action", "data", "hash"))


@pytest.mark.django_db
def test_orm_update_is_refused_and_changes_nothing(append, purge_off):
    append(3)
    before = _snapshot()

    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        AuditRecord.objects.filter(seq=2).update(action="courts.team.created")

    assert _snapshot() == before


@pytest.mark.django_db
def test_orm_delete_is_refused_and_changes_nothing(append, purge_off):
    append(3)
    before = _snapshot()

    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        AuditRecord.objects.filter(seq=3).delete()

    assert _snapshot() == before


@pytest.mark.django_db
def test_saving_a_loaded_record_is_refused(append, purge_off):
    row = append(1)[0]
    row.subject_label = "改过的标签"

    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        row.save()

    assert AuditRecord.objects.get(pk=row.pk).subject_label == "第0执行团队"


@pytest.mark.django_db
def test_raw_update_and_delete_are_refused(append, purge_off):
    append(2)
    before = _snapshot()

    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        sql("UPDATE audit_auditrecord SET hash = %s", ["0" * 64])
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        sql("DELETE FROM audit_auditrecord")

    assert _snapshot() == before


@pytest.mark.postgres
@pytest.mark.django_db
def test_truncate_is_refused_on_postgresql(append, purge_off):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only (SQLite's DELETE without WHERE is refused above)")
    append(2)
    before = _snapshot()

    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        sql("TRUNCATE audit_auditrecord")

    assert _snapshot() == before


@pytest.mark.django_db
def test_appending_still_works_with_the_switch_off(append, purge_off, at):
    append(2)

    with transaction.atomic():
        row = record(action="courts.team.created", at=at, court_id=7, subject_label="第三团队")

    assert (row.chain, row.seq) == (7, 3)
    assert AuditRecord.objects.filter(chain=7).count() == 3


@pytest.mark.django_db
def test_chain_head_stays_updatable(append, purge_off):
    append(2)

    AuditChainHead.objects.filter(chain=7).update(seq=5)

    assert AuditChainHead.objects.get(chain=7).seq == 5


@pytest.mark.django_db
def test_switch_on_lets_the_test_runner_remove_records(append):
    append(2)

    sql("DELETE FROM audit_auditrecord")

    assert AuditRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_flush_of_transactional_tests_purges_the_table(append):
    append(3)

    call_command("flush", interactive=False, verbosity=0)

    assert AuditRecord.objects.count() == 0
    assert AuditChainHead.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_purge_switch_is_honoured_only_in_a_test_database():
    if connection.vendor != "postgresql":
        pytest.skip("the session switch exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('audit_record_refuse_change'::regproc), current_database()")
        definition, database = cursor.fetchone()

    assert "current_database() LIKE 'test\\_%'" in definition
    assert database.startswith("test_")
