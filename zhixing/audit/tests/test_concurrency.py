"""Many writers on one court's chain at once: the head-row lock keeps the chain gapless and valid."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps
from django.db import connection, connections, transaction

from zhixing.audit.services import record
from zhixing.audit.verify import chain_verify

WRITERS = 8
RECORDS_EACH = 25


def _write_many(writer: int, at) -> None:
    try:
        for n in range(RECORDS_EACH):
            with transaction.atomic():
                record(
                    action="courts.team.changed",
                    at=at,
                    court_id=42,
                    subject_type="courts.team",
                    subject_id=f"{writer}-{n}",
                    subject_label=f"写入者{writer}",
                    data={"n": n},
                )
    finally:
        connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_gapless(at):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) exist only on PostgreSQL")

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(lambda w: _write_many(w, at), range(WRITERS)))

    seqs = list(
        apps.get_model("audit", "AuditRecord").objects.filter(chain=42).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, WRITERS * RECORDS_EACH + 1))
    report = chain_verify(chain=42)
    assert report.breaks == []
    assert report.records == WRITERS * RECORDS_EACH
