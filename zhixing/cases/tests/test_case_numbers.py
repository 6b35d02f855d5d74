"""案号 issuance: separate gapless series per court, year and type; concurrent filings on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections, transaction

from zhixing.cases.models import CaseNumberSequence
from zhixing.cases.services import case_number_issue
from zhixing.core.errors import ValidationFailed


@pytest.mark.django_db
def test_first_number_is_formatted_officially(courts):
    number = case_number_issue(court=courts.wenxian, year=2026, type_code="执")

    assert number.format() == "（2026）豫0825执1号"
    assert case_number_issue(court=courts.wenxian, year=2026, type_code="执").format() == "（2026）豫0825执2号"


@pytest.mark.django_db
def test_series_are_separate_per_court_year_and_type(courts):
    case_number_issue(court=courts.wenxian, year=2026, type_code="执")
    case_number_issue(court=courts.wenxian, year=2026, type_code="执")

    assert str(case_number_issue(court=courts.wuzhi, year=2026, type_code="执")) == "（2026）豫0823执1号"
    assert str(case_number_issue(court=courts.wenxian, year=2027, type_code="执")) == "（2027）豫0825执1号"
    assert str(case_number_issue(court=courts.wenxian, year=2026, type_code="执恢")) == "（2026）豫0825执恢1号"
    assert str(case_number_issue(court=courts.wenxian, year=2026, type_code="执")) == "（2026）豫0825执3号"


@pytest.mark.django_db
def test_a_rolled_back_filing_gives_its_number_back(courts):
    def failing_filing() -> None:
        with transaction.atomic():
            case_number_issue(court=courts.wenxian, year=2026, type_code="执")
            raise RuntimeError("filing failed")

    with pytest.raises(RuntimeError):
        failing_filing()

    assert str(case_number_issue(court=courts.wenxian, year=2026, type_code="执")) == "（2026）豫0825执1号"


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "type_code", "field"), [(2015, "执", "year"), (2026, "民初", "type_code")])
def test_bad_year_or_type_is_refused_and_creates_no_counter(courts, year, type_code, field):
    with pytest.raises(ValidationFailed) as error:
        case_number_issue(court=courts.wenxian, year=year, type_code=type_code)

    assert list(error.value.fields) == [field]
    assert CaseNumberSequence.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuance_is_gapless_and_unique(courts):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    threads_count, per_thread = 8, 25
    issued: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads_count)

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                serial = case_number_issue(court=courts.wenxian, year=2026, type_code="执").serial
                with lock:
                    issued.append(serial)
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(issued) == list(range(1, threads_count * per_thread + 1))
    assert CaseNumberSequence.objects.get(court=courts.wenxian, year=2026, type_code="执").last_serial == 200
