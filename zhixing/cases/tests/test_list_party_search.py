"""The party filter of the list reads the links' copies of court, filing day and name (migration 0004)."""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from conftest import AT
from zhixing.cases.choices import CaseStatus, PartyKind
from zhixing.cases.demo import demo_cases
from zhixing.cases.models import Case, CaseParty, Party
from zhixing.cases.selectors import CaseFilters, case_list, case_list_queryset
from zhixing.cases.selectors._list import _page_ids
from zhixing.cases.services import cases_import
from zhixing.cases.tests.test_list import executor, file_on, id_number, person, scope_of  # noqa: F401
from zhixing.courts.choices import Role

pytestmark = pytest.mark.django_db


def _copies(case: Case) -> list[tuple[str, int | None, date | None, str | None]]:
    return sorted(
        CaseParty.objects.filter(case=case).values_list("role", "list_court_id", "list_filed_on", "list_name")
    )


def test_filing_and_import_fill_the_copies_of_applicants_and_debtors_only(courts, file_case, make_staff):
    lawyer = Party.objects.create(kind=PartyKind.NATURAL_PERSON, name="律师赵", created_at=AT, updated_at=AT)
    debtor = person("周小明", 21)
    case = file_on(file_case, courts.wenxian, date(2026, 3, 2), debtors=[debtor])
    link = CaseParty.objects.get(case=case, party=debtor)
    CaseParty.objects.create(case=case, party=lawyer, role="agent", agent_of=link)

    applicant_name = CaseParty.objects.get(case=case, role="applicant").party.name
    assert _copies(case) == [
        ("agent", None, None, None),
        ("applicant", courts.wenxian.pk, date(2026, 3, 2), applicant_name),
        ("debtor", courts.wenxian.pk, date(2026, 3, 2), "周小明"),
    ]

    clerk = make_staff(courts.wenxian, Role.FILING_CLERK)
    inputs = [item.filing for item in demo_cases(court_code="豫0825", count=20, seed=7)]
    assert cases_import(court=courts.wenxian, inputs=inputs, actor=clerk, at=AT, source_name="x.xlsx",
                        file_hash="0" * 64).status == "imported"  # fmt: skip
    imported = CaseParty.objects.exclude(case=case)
    assert imported.filter(role__in=("applicant", "debtor")).exists()
    for link in imported.select_related("case", "party"):
        principal = link.role in ("applicant", "debtor")
        assert link.list_court_id == (link.case.court_id if principal else None)
        assert link.list_filed_on == (link.case.filed_on if principal else None)
        assert link.list_name == (link.party.name if principal else None)


def test_the_migration_fills_the_copies_of_existing_links(courts, file_case):
    migration = importlib.import_module("zhixing.cases.migrations.0004_party_search")
    case = file_on(file_case, courts.wenxian, date(2026, 3, 2), debtors=[person("周大", 22)])
    expected = _copies(case)
    CaseParty.objects.update(list_court_id=None, list_filed_on=None, list_name=None)

    with connection.cursor() as cursor:
        migration.fill_list_copies(apps, SimpleNamespace(connection=connection, execute=cursor.execute))

    assert _copies(case) == expected


def test_party_pages_across_courts_equal_the_reference_query_page_by_page(courts, file_case, make_staff):
    supervisor = scope_of(make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))
    zhou, zhou_er, wang = person("周一", 31), person("周二", 32), person("王五", 33)
    created = []
    for i in range(9):
        day = date(2026, 3, 2) + timedelta(days=i // 3)
        court = (courts.wenxian, courts.wuzhi)[i % 2]
        debtors = [[zhou], [zhou, zhou_er], [wang]][i % 3]  # two matching parties in one case: listed once
        created.append(file_on(file_case, court, day, debtors=debtors))
    Case.objects.filter(pk=created[1].pk).update(status=CaseStatus.CLOSED)

    for filters in ({"party": "周"}, {"party": "周二"}, {"party": "王"}, {"party": id_number(31)},
                    {"party": "周", "status": CaseStatus.FILED}):  # fmt: skip
        expected = list(
            case_list_queryset(scope=supervisor, filters=filters)
            .order_by("-filed_on", "-id")
            .values_list("id", flat=True)
        )
        seen, after = [], None
        while True:
            page = case_list(scope=supervisor, filters=filters, after=after, limit=2)
            seen += [row.id for row in page.rows]
            after = page.next_cursor
            if after is None:
                break
        assert seen == expected, filters
        assert expected, filters


_SURNAMES = "赵钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")


class _Capture:
    sql, params = "", ()

    def __call__(self, execute, sql, params, many, context):
        self.sql, self.params = sql, params
        return execute(sql, params, many, context)


@postgres_only
@pytest.mark.parametrize("text", ["周", "周1234某", "周12"])
def test_the_name_filter_reads_the_links_list_indexes_on_postgresql(courts, file_case, executor, text):  # noqa: F811
    scope = scope_of(executor)
    template = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    fields = {f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields if f.attname != "id"}
    cases = Case.objects.bulk_create(
        Case(**{**fields, "serial": 1000 + i, "number": f"（2026）豫0825执{1000 + i}号",
                "filed_on": date(2024, 1, 1) + timedelta(days=i % 700)})
        for i in range(6000)
    )  # fmt: skip
    parties = Party.objects.bulk_create(
        Party(kind=PartyKind.NATURAL_PERSON, name=f"{_SURNAMES[i % 30]}{i}某", created_at=AT, updated_at=AT)
        for i in range(6000)
    )
    CaseParty.objects.bulk_create(
        CaseParty(case=case, party=party, role="debtor", list_court_id=case.court_id, list_filed_on=case.filed_on,
                  list_name=party.name)
        for case, party in zip(cases, parties, strict=True)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case; ANALYZE cases_party; ANALYZE cases_caseparty")

    for after in (None, "20240601-4000"):
        with connection.execute_wrapper(capture := _Capture()):
            _page_ids(scope=scope, filters=CaseFilters(party=text), after=after, size=51)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + capture.sql, capture.params)
            plan = "\n".join(row[0] for row in cursor.fetchall())

        assert "case_party_list_walk_idx" in plan or "case_party_list_name_idx" in plan, plan
        assert "Seq Scan" not in plan, plan
        assert "cases_party " not in plan, plan  # the name is read from the link's index, not the party
