"""Verification: a sound chain passes, and every kind of tampering is caught at its first broken link."""

from __future__ import annotations

import pytest
from django.db import transaction

from zhixing.audit.chain import GENESIS, content_text, link_hash
from zhixing.audit.models import AuditChainHead, AuditRecord
from zhixing.audit.services import record
from zhixing.audit.tests.conftest import sql
from zhixing.audit.verify import ChainBreak, _sqlite_at_text, chain_verify


@pytest.mark.django_db
def test_sound_chains_pass(append):
    append(5, court_id=7)
    append(3, court_id=8)
    append(2, court_id=None)

    report = chain_verify()

    assert report.ok is True
    assert (report.chains, report.records, report.breaks) == (3, 10, [])


@pytest.mark.django_db
def test_fast_path_recomputes_exactly_what_the_writer_hashed(append):
    rows = append(4, court_id=9)

    for row in AuditRecord.objects.filter(chain=9).order_by("seq"):
        content = content_text(
            chain=row.chain, seq=row.seq, at=row.at, court_id=row.court_id, case_id=row.case_id,
            actor_id=row.actor_id, actor_label=row.actor_label, action=row.action,
            subject_type=row.subject_type, subject_id=row.subject_id, subject_label=row.subject_label, data=row.data,
        )  # fmt: skip
        assert link_hash(prev_hash=row.prev_hash, content=content) == row.hash

    assert chain_verify(chain=9).ok is True
    stored = AuditRecord.objects.filter(chain=9).order_by("seq").values_list("hash", flat=True)
    assert [r.hash for r in rows] == list(stored)


@pytest.mark.django_db
def test_no_records_is_sound():
    report = chain_verify()

    assert report.as_dict() | {"seconds": 0} == {
        "ok": True, "chains": 0, "records": 0, "seconds": 0, "records_per_second": 0, "breaks": [],
    }  # fmt: skip


@pytest.mark.django_db
def test_edited_field_is_caught_at_that_record(append):
    append(5, court_id=7)
    append(3, court_id=8)
    sql("UPDATE audit_auditrecord SET subject_label = %s WHERE chain = 7 AND seq = 3", ["伪造的团队"])

    report = chain_verify()

    assert report.ok is False
    assert report.breaks == [ChainBreak(chain=7, seq=3, problem="记录内容与其哈希不符（记录被修改）")]


@pytest.mark.django_db
def test_edited_moment_is_caught(append):
    append(3, court_id=7)
    sql(
        "UPDATE audit_auditrecord SET at = (SELECT at FROM audit_auditrecord WHERE chain = 7 AND seq = 1)"
        " WHERE chain = 7 AND seq = 2"
    )

    assert chain_verify().breaks == [ChainBreak(chain=7, seq=2, problem="记录内容与其哈希不符（记录被修改）")]


@pytest.mark.django_db
def test_rehashed_record_is_caught_at_the_next_link(append):
    append(4, court_id=7)
    sql("UPDATE audit_auditrecord SET hash = %s WHERE chain = 7 AND seq = 2", ["a" * 64])

    assert chain_verify().breaks == [ChainBreak(chain=7, seq=2, problem="记录内容与其哈希不符（记录被修改）")]


@pytest.mark.django_db
def test_deleted_record_is_caught_as_missing(append):
    append(5, court_id=7)
    sql("DELETE FROM audit_auditrecord WHERE chain = 7 AND seq = 3")

    assert chain_verify().breaks == [ChainBreak(chain=7, seq=3, problem="缺少第 3 条记录（记录被删除，或序号被改动）")]


@pytest.mark.django_db
def test_deleted_run_of_records_is_named_as_a_range(append):
    append(6, court_id=7)
    sql("DELETE FROM audit_auditrecord WHERE chain = 7 AND seq IN (2, 3, 4)")

    assert chain_verify().breaks == [
        ChainBreak(chain=7, seq=2, problem="缺少第 2–4 条记录（记录被删除，或序号被改动）")
    ]


@pytest.mark.django_db
def test_deleted_and_renumbered_record_is_caught_by_its_link(append):
    append(5, court_id=7)
    sql("DELETE FROM audit_auditrecord WHERE chain = 7 AND seq = 3")
    sql("UPDATE audit_auditrecord SET seq = seq - 1 WHERE chain = 7 AND seq = 4")
    sql("UPDATE audit_auditrecord SET seq = seq - 1 WHERE chain = 7 AND seq = 5")

    assert chain_verify().breaks == [
        ChainBreak(chain=7, seq=3, problem="“前一记录哈希”与上一条记录的哈希不符（记录被删除、替换或调换了顺序）")
    ]


@pytest.mark.django_db
def test_swapped_records_are_caught_at_the_first_of_them(append):
    append(6, court_id=7)
    sql("UPDATE audit_auditrecord SET seq = -1 WHERE chain = 7 AND seq = 4")
    sql("UPDATE audit_auditrecord SET seq = 4 WHERE chain = 7 AND seq = 5")
    sql("UPDATE audit_auditrecord SET seq = 5 WHERE chain = 7 AND seq = -1")

    assert chain_verify().breaks == [
        ChainBreak(chain=7, seq=4, problem="“前一记录哈希”与上一条记录的哈希不符（记录被删除、替换或调换了顺序）")
    ]


@pytest.mark.django_db
def test_truncated_tail_is_caught_against_the_head(append):
    append(6, court_id=7)
    sql("DELETE FROM audit_auditrecord WHERE chain = 7 AND seq >= 5")

    assert chain_verify().breaks == [ChainBreak(chain=7, seq=5, problem="链尾缺少第 5–6 条记录（链头记到第 6 条）")]


@pytest.mark.django_db
def test_truncated_last_record_is_caught_against_the_head(append):
    append(3, court_id=7)
    sql("DELETE FROM audit_auditrecord WHERE chain = 7 AND seq = 3")

    assert chain_verify().breaks == [ChainBreak(chain=7, seq=3, problem="链尾缺少第 3 条记录（链头记到第 3 条）")]


@pytest.mark.django_db
def test_whole_chain_deleted_is_caught_against_the_head(append):
    append(2, court_id=7)
    sql("DELETE FROM audit_auditrecord WHERE chain = 7")

    assert chain_verify().breaks == [ChainBreak(chain=7, seq=1, problem="链尾缺少第 1–2 条记录（链头记到第 2 条）")]


@pytest.mark.django_db
def test_first_record_not_starting_at_genesis_is_caught(append):
    append(2, court_id=7)
    sql("UPDATE audit_auditrecord SET prev_hash = %s WHERE chain = 7 AND seq = 1", ["b" * 64])

    assert chain_verify().breaks == [ChainBreak(chain=7, seq=1, problem="第一条记录的“前一记录哈希”不是链的起点")]


@pytest.mark.django_db
def test_head_with_a_different_hash_is_caught(append):
    append(2, court_id=7)
    AuditChainHead.objects.filter(chain=7).update(hash="c" * 64)

    assert chain_verify().breaks == [ChainBreak(chain=7, seq=2, problem="链头哈希与最后一条记录的哈希不符")]


@pytest.mark.django_db
def test_missing_head_is_caught(append):
    append(2, court_id=7)
    AuditChainHead.objects.filter(chain=7).delete()

    assert chain_verify().breaks == [ChainBreak(chain=7, seq=2, problem="链头缺失（链头记录被删除）")]


@pytest.mark.django_db
def test_record_appended_behind_the_services_back_is_caught(append):
    rows = append(2, court_id=7)
    last = rows[-1]
    sql(
        "INSERT INTO audit_auditrecord (chain, seq, at, actor_label, action, subject_type, subject_id,"
        " subject_label, data, prev_hash, hash) SELECT chain, 3, at, actor_label, action, subject_type, subject_id,"
        " subject_label, data, hash, hash FROM audit_auditrecord WHERE id = %s",
        [last.pk],
    )

    report = chain_verify()

    assert report.breaks == [ChainBreak(chain=7, seq=3, problem="记录内容与其哈希不符（记录被修改）")]


@pytest.mark.django_db
def test_only_the_first_break_of_each_chain_is_named(append):
    append(6, court_id=7)
    append(4, court_id=8)
    sql("UPDATE audit_auditrecord SET data = '' WHERE chain = 7 AND seq IN (2, 5)")
    sql("DELETE FROM audit_auditrecord WHERE chain = 8 AND seq = 1")

    report = chain_verify()

    assert report.breaks == [
        ChainBreak(chain=7, seq=2, problem="记录内容与其哈希不符（记录被修改）"),
        ChainBreak(chain=8, seq=1, problem="缺少第 1 条记录（记录被删除，或序号被改动）"),
    ]
    assert report.records == 9


@pytest.mark.django_db
def test_one_chain_can_be_verified_alone(append):
    append(3, court_id=7)
    append(3, court_id=8)
    sql("UPDATE audit_auditrecord SET data = '' WHERE chain = 7 AND seq = 1")

    assert chain_verify(chain=8).as_dict()["breaks"] == []
    assert chain_verify(chain=8).records == 3
    assert chain_verify(chain=7).breaks == [ChainBreak(chain=7, seq=1, problem="记录内容与其哈希不符（记录被修改）")]


@pytest.mark.django_db
def test_records_appended_after_the_first_head_read_do_not_break_the_chain(append, at, monkeypatch):
    from zhixing.audit import verify

    append(2, court_id=7)
    real_heads = verify._heads
    calls = []

    def heads_then_record(chain):
        result = real_heads(chain)
        if not calls:
            with transaction.atomic():
                record(action="courts.team.created", at=at, court_id=7)
        calls.append(chain)
        return result

    monkeypatch.setattr(verify, "_heads", heads_then_record)

    report = chain_verify()

    assert report.ok is True
    assert report.records == 3
    assert AuditChainHead.objects.get(chain=7).seq == 3


@pytest.mark.parametrize(
    ("stored", "canonical"),
    [
        ("2026-11-23 01:30:00", "2026-11-23T01:30:00.000000Z"),
        ("2026-11-23 01:30:00.123456", "2026-11-23T01:30:00.123456Z"),
        ("2026-11-23T01:30:00.5+00:00", "2026-11-23T01:30:00.500000Z"),
        ("2026-11-23 09:30:00+08:00", "2026-11-23T01:30:00.000000Z"),
        ("not a moment", "not a moment"),
    ],
)
def test_sqlite_moment_text_is_made_canonical(stored, canonical):
    assert _sqlite_at_text(stored) == canonical


def test_genesis_is_sixty_four_zeros():
    assert GENESIS == "0" * 64
