"""The workbench list selector: each filter, the scope, keyset pages, the capped count, and EXPLAIN on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from conftest import AT, SHANGHAI
from zhixing.cases.choices import BasisKind, CaseStatus, CaseType, PartyKind, TriageClass
from zhixing.cases.models import Case
from zhixing.cases.selectors import CaseFilters, case_list, case_list_queryset, cursor_decode
from zhixing.cases.services import party_register
from zhixing.core.identity import resident_id_check_char
from zhixing.courts.access import court_scope_for
from zhixing.courts.choices import Role

TODAY = date(2026, 11, 23)


def id_number(serial: int, birth: str = "19800517") -> str:
    """Return a valid 身份证号 of 郑州市金水区 with the given sequence number."""
    body = f"410105{birth}{serial:03d}"
    return body + resident_id_check_char(body=body)


def person(name: str, serial: int) -> object:
    return party_register(kind=PartyKind.NATURAL_PERSON, name=name, id_number=id_number(serial), actor=None, at=AT)


def file_on(file_case, court, day: date, **changes) -> Case:
    """File a case in ``court`` on ``day`` through the service, then set ``changes`` (status, team …) directly."""
    filing = {k: changes.pop(k) for k in ("debtors", "applicants", "amount_claimed", "basis_kind") if k in changes}
    case = file_case(
        court,
        at=datetime.combine(day, time(9, 30), tzinfo=SHANGHAI),
        application_received_on=day,
        basis_effective_on=day - timedelta(days=30),
        **filing,
    )
    if changes:
        Case.objects.filter(pk=case.pk).update(**changes)
    return Case.objects.get(pk=case.pk)


def scope_of(user) -> object:
    return court_scope_for(user=user, today=TODAY)


def numbers(page) -> list[str]:
    return [row.number for row in page.rows]


@pytest.fixture
def executor(courts, make_staff):
    return make_staff(courts.wenxian, Role.EXECUTOR, name="执行员李")


@pytest.fixture
def scope(executor):
    return scope_of(executor)


def test_a_page_lists_the_readable_cases_newest_filing_first_with_their_parties(courts, file_case, scope):
    older = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    newer = file_on(file_case, courts.wenxian, date(2026, 5, 6))
    file_on(file_case, courts.wuzhi, date(2026, 6, 1))  # another court

    page = case_list(scope=scope, filters=None, today=TODAY)

    assert [row.id for row in page.rows] == [newer.pk, older.pk]
    assert page.next_cursor is None
    row = page.rows[0]
    assert row.number == "（2026）豫0825执2号"
    assert [p.name for p in row.applicants] == ["温县农村商业银行股份有限公司"]
    assert [(p.name, p.identifier) for p in row.debtors] == [("张三", "410105********5011")]
    assert row.status_label == "已立案"
    assert row.type_label == "首次执行"


def test_the_case_number_filter_matches_exactly_by_prefix_or_by_bare_serial(courts, file_case, scope):
    first = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    second = file_on(file_case, courts.wenxian, date(2026, 3, 3))
    resumed = file_on(file_case, courts.wenxian, date(2026, 3, 4), type_code=CaseType.RESUMED)  # only the type moves
    assert first.number == "（2026）豫0825执1号"

    def listed(text: str) -> set[int]:
        return {row.id for row in case_list(scope=scope, filters={"number": text}).rows}

    assert listed("(2026)豫0825执1号") == {first.pk}  # half-width brackets, exact
    assert listed(" （2026） 豫0825 执2 ") == {second.pk}
    assert listed("（2026）豫0825执") == {first.pk, second.pk, resumed.pk}
    assert listed("(2026)豫0825") == {first.pk, second.pk, resumed.pk}
    assert listed("2") == {second.pk}
    assert listed("（2025）豫0825执") == set()
    assert listed("（2026）豫0825执9号") == set()


def test_the_party_filter_matches_a_name_exactly_or_by_prefix_and_an_id_number_exactly(courts, file_case, scope):
    wang = person("王小明", 11)
    wang_er = person("王小", 12)
    li = person("李四", 13)
    a = file_on(file_case, courts.wenxian, date(2026, 3, 2), debtors=[wang])
    b = file_on(file_case, courts.wenxian, date(2026, 3, 3), debtors=[wang_er])
    c = file_on(file_case, courts.wenxian, date(2026, 3, 4), debtors=[li])

    def listed(text: str) -> set[int]:
        return {row.id for row in case_list(scope=scope, filters={"party": text}).rows}

    assert listed("王小明") == {a.pk}
    assert listed("王小") == {a.pk, b.pk}
    assert listed("李") == {c.pk}
    assert listed("温县农村") == {a.pk, b.pk, c.pk}  # the applicant
    assert listed(id_number(13)) == {c.pk}
    assert listed(f" {id_number(13).lower()} ") == {c.pk}
    assert listed(id_number(99)) == set()
    assert listed("小明") == set()  # a prefix, not a substring


def test_the_equality_filters_each_return_exactly_their_cases(courts, file_case, scope, make_staff):
    other = make_staff(courts.wenxian, Role.EXECUTOR, name="执行员周")
    executor_id = scope.user_id
    plain = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    running = file_on(file_case, courts.wenxian, date(2026, 3, 3), status=CaseStatus.IN_EXECUTION)
    resumed = file_on(file_case, courts.wenxian, date(2026, 3, 4), type_code=CaseType.RESUMED)
    simple = file_on(file_case, courts.wenxian, date(2026, 3, 5), triage_class=TriageClass.SIMPLE)
    mine = file_on(file_case, courts.wenxian, date(2026, 3, 6), executor_id=executor_id)
    theirs = file_on(file_case, courts.wenxian, date(2026, 3, 7), executor_id=other.pk)

    def listed(**filters) -> list[int]:
        return [row.id for row in case_list(scope=scope, filters=filters).rows]

    assert listed(status=CaseStatus.IN_EXECUTION) == [running.pk]
    assert listed(status=CaseStatus.FILED) == [theirs.pk, mine.pk, simple.pk, resumed.pk, plain.pk]
    assert listed(type_code=CaseType.RESUMED) == [resumed.pk]
    assert listed(triage_class=TriageClass.SIMPLE) == [simple.pk]
    assert listed(executor_id=executor_id) == [mine.pk]
    assert listed(executor_id=other.pk) == [theirs.pk]


def test_the_team_filter(courts, file_case, scope):
    from zhixing.courts.models import Team, TeamKind

    kind = TeamKind.objects.first()
    team = Team.objects.create(court=courts.wenxian, kind=kind, name="速执团队")
    in_team = file_on(file_case, courts.wenxian, date(2026, 3, 2), team_id=team.pk)
    file_on(file_case, courts.wenxian, date(2026, 3, 3))

    page = case_list(scope=scope, filters={"team_id": team.pk})

    assert [(row.id, row.team_name) for row in page.rows] == [(in_team.pk, "速执团队")]


def test_amount_and_filing_date_ranges_are_inclusive(courts, file_case, scope):
    small = file_on(file_case, courts.wenxian, date(2026, 3, 2), amount_claimed=Decimal("999.99"))
    middle = file_on(file_case, courts.wenxian, date(2026, 3, 3), amount_claimed=Decimal("1000.00"))
    large = file_on(file_case, courts.wenxian, date(2026, 4, 1), amount_claimed=Decimal("50000.00"))

    def listed(**filters) -> list[int]:
        return [row.id for row in case_list(scope=scope, filters=filters).rows]

    assert listed(amount_min=Decimal("1000.00")) == [large.pk, middle.pk]
    assert listed(amount_max=Decimal("1000.00")) == [middle.pk, small.pk]
    assert listed(amount_min=Decimal("1000"), amount_max=Decimal("1000")) == [middle.pk]
    assert listed(filed_from=date(2026, 3, 3), filed_to=date(2026, 4, 1)) == [large.pk, middle.pk]
    assert listed(filed_to=date(2026, 3, 2)) == [small.pk]


def test_period_ends_on_is_six_months_from_filing_or_three_for_non_litigation_with_the_last_day_rule(courts, file_case):
    litigation = file_on(file_case, courts.wenxian, date(2026, 11, 23))
    non_litigation = file_on(file_case, courts.wenxian, date(2026, 11, 23), basis_kind=BasisKind.NON_LITIGATION)

    assert litigation.period_ends_on == date(2027, 5, 24)  # 2027-05-23 is a Sunday
    assert non_litigation.period_ends_on == date(2027, 2, 23)


def test_the_migration_fills_the_period_of_existing_cases(courts, file_case):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("zhixing.cases.migrations.0003_workbench")
    litigation = file_on(file_case, courts.wenxian, date(2026, 11, 23))
    non_litigation = file_on(file_case, courts.wenxian, date(2026, 11, 23), basis_kind=BasisKind.NON_LITIGATION)
    Case.objects.update(period_ends_on=None)

    migration.fill_period_ends_on(apps, None)

    assert Case.objects.get(pk=litigation.pk).period_ends_on == date(2027, 5, 24)
    assert Case.objects.get(pk=non_litigation.pk).period_ends_on == date(2027, 2, 23)


def test_overdue_lists_open_cases_past_their_period_and_marks_the_rows(courts, file_case, scope):
    overdue = file_on(file_case, courts.wenxian, date(2026, 3, 2))  # period ends 2026-09-02
    file_on(file_case, courts.wenxian, date(2026, 3, 3), status=CaseStatus.CLOSED)
    file_on(file_case, courts.wenxian, date(2026, 3, 4), status=CaseStatus.WITHDRAWN)
    current = file_on(file_case, courts.wenxian, date(2026, 10, 9))

    page = case_list(scope=scope, filters={"overdue_on": TODAY}, today=TODAY)
    everything = case_list(scope=scope, filters=None, today=TODAY)

    assert [row.id for row in page.rows] == [overdue.pk]
    assert page.rows[0].overdue is True
    assert {row.id: row.overdue for row in everything.rows}[current.pk] is False
    assert sum(row.overdue for row in everything.rows) == 1


def test_another_courts_cases_are_not_listed_and_a_supervisor_above_reads_the_subtree(
    courts, file_case, scope, make_staff
):
    wenxian = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    wuzhi = file_on(file_case, courts.wuzhi, date(2026, 3, 3))
    linshu = file_on(file_case, courts.linshu, date(2026, 3, 4))
    supervisor = scope_of(make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))

    assert [row.id for row in case_list(scope=scope, filters=None).rows] == [wenxian.pk]
    assert [row.id for row in case_list(scope=supervisor, filters=None).rows] == [wuzhi.pk, wenxian.pk]
    assert linshu.pk not in {row.id for row in case_list(scope=supervisor, filters=None).rows}


def test_keyset_pages_have_no_duplicates_or_gaps_across_courts_and_equal_days(courts, file_case, make_staff):
    supervisor = scope_of(make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))
    days = [date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 5), date(2026, 4, 1)]
    created = [
        file_on(file_case, court, day) for day in days for court in (courts.wenxian, courts.wuzhi)
    ]  # 12 cases, several filed the same day
    expected = [c.pk for c in sorted(created, key=lambda c: (c.filed_on, c.pk), reverse=True)]

    seen, after, pages = [], None, 0
    while True:
        page = case_list(scope=supervisor, filters=None, after=after, limit=5)
        seen += [row.id for row in page.rows]
        pages += 1
        after = page.next_cursor
        if after is None:
            break

    assert seen == expected
    assert pages == 3


def test_a_cursor_is_checked():
    assert cursor_decode(cursor="20260302-17") == (date(2026, 3, 2), 17)
    for bad in ("", "x", "2026-03-02-1", "20260302-", "20260302-abc"):
        with pytest.raises(ValueError, match="not a case-list cursor"):
            cursor_decode(cursor=bad)


def test_the_count_is_capped(courts, file_case, scope):
    for day in range(2, 6):
        file_on(file_case, courts.wenxian, date(2026, 3, day))

    exact = case_list(scope=scope, filters=None, limit=2, count_cap=10)
    capped = case_list(scope=scope, filters=None, limit=2, count_cap=3)

    assert (exact.count, exact.count_capped) == (4, False)
    assert (capped.count, capped.count_capped) == (3, True)


def test_filters_as_audit_data_keep_what_is_set():
    filters = CaseFilters(status="filed", amount_min=Decimal("10.00"), filed_from=date(2026, 1, 1))

    assert filters.as_audit_data() == {"status": "filed", "amount_min": "10.00", "filed_from": "2026-01-01"}


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
_SURNAMES = "赵钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"


@pytest.fixture
def docket(courts, file_case, executor):
    """Return 3,000 analysed cases of 温县 (one party each): few match any one filter, as in a real docket."""
    from zhixing.cases.models import CaseParty, Party

    template = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    fields = {f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields if f.attname != "id"}
    cases = []
    for i in range(3000):
        filed_on = date(2024, 1, 1) + timedelta(days=i % 700)
        cases.append(
            Case(
                **{
                    **fields,
                    "year": filed_on.year,
                    "serial": 1000 + i,
                    "number": f"（{filed_on.year}）豫0825执{1000 + i}号",
                    "filed_on": filed_on,
                    "status": CaseStatus.IN_EXECUTION if i % 100 == 0 else CaseStatus.CLOSED,
                    "type_code": CaseType.RESUMED if i % 100 == 1 else CaseType.FIRST_ENFORCEMENT,
                    "triage_class": TriageClass.SIMPLE if i % 100 == 2 else TriageClass.COMPLEX,
                    "executor_id": executor.pk if i % 100 == 3 else None,
                    "period_ends_on": date(2026, 1, 1) if i % 100 == 4 else date(2027, 1, 1),
                }
            )
        )
    Case.objects.bulk_create(cases)
    parties = Party.objects.bulk_create(
        Party(kind=PartyKind.NATURAL_PERSON, name=f"{_SURNAMES[i % 30]}{i}某", created_at=AT, updated_at=AT)
        for i in range(3000)
    )
    CaseParty.objects.bulk_create(
        CaseParty(case=case, party=party, role="debtor") for case, party in zip(cases, parties, strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case; ANALYZE cases_party; ANALYZE cases_caseparty")


@postgres_only
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"number": "（2025）豫0825执13"}, "case_number_pattern_idx"),
        ({"number": "（2025）豫0825执1333号"}, "case_number_pattern_idx"),
        ({"party": "王小"}, "party_name_pattern_idx"),
        ({"party": "张三"}, "party_name_pattern_idx"),
        ({"status": CaseStatus.IN_EXECUTION}, "case_court_status_filed_idx"),
        ({"type_code": CaseType.RESUMED}, "case_court_type_filed_idx"),
        ({"triage_class": TriageClass.SIMPLE}, "case_court_triage_filed_idx"),
        ({"overdue_on": TODAY}, "case_court_period_idx"),
    ],
)
def test_typical_filters_use_their_index_on_postgresql(docket, scope, filters, index):
    plan = case_list_queryset(scope=scope, filters=filters).order_by("-filed_on", "-id")[:51].explain()

    assert index in plan
    assert "Seq Scan on cases_case " not in plan, plan


@postgres_only
def test_my_cases_and_an_id_number_use_their_indexes_on_postgresql(docket, scope, executor):
    mine = case_list_queryset(scope=scope, filters={"executor_id": executor.pk}).order_by("-filed_on", "-id")[:51]
    by_id = case_list_queryset(scope=scope, filters={"party": id_number(13)}).order_by("-filed_on", "-id")[:51]

    assert "Index Cond: (executor_id = " in mine.explain()
    plan = by_id.explain()
    assert "party_unique_id_number" in plan
    assert "Seq Scan" not in plan
