"""Bulk import: all or nothing, duplicates, the error report, the page's permissions, the audit chain."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhixing.audit.verify import chain_verify
from zhixing.cases.choices import CaseStatus, ImportStatus
from zhixing.cases.demo import demo_cases
from zhixing.cases.import_template import COLUMNS, HEADERS, docket_read, error_report, template_workbook
from zhixing.cases.models import Case, CaseParty, ImportBatch, Party
from zhixing.cases.services import cases_import
from zhixing.courts.choices import Role

pytestmark = pytest.mark.django_db


def _docket(count=30, seed=5):
    return [item.filing for item in demo_cases(court_code="豫0825", count=count, seed=seed)]


@pytest.fixture
def clerk(courts, make_staff):
    return make_staff(courts.wenxian, Role.FILING_CLERK)


def _import(court, inputs, clerk, at, name="台账.xlsx"):
    return cases_import(court=court, inputs=inputs, actor=clerk, at=at, source_name=name, file_hash="0" * 64)


def test_import_writes_every_case_with_numbers_parties_and_one_audit_record_each(courts, clerk, at, audit_rows):
    inputs = _docket()
    batch = _import(courts.wenxian, inputs, clerk, at)
    assert batch.status == ImportStatus.IMPORTED
    cases = list(Case.objects.filter(court=courts.wenxian).order_by("pk"))
    assert len(cases) == 30
    for year in {c.year for c in cases}:
        serials = sorted(c.serial for c in cases if c.year == year)
        assert serials == list(range(1, len(serials) + 1))
    assert cases[0].number.startswith(f"（{cases[0].year}）豫0825执")
    assert all(c.period_ends_on is not None for c in cases)
    assert {c.status for c in cases} <= {CaseStatus.FILED, CaseStatus.DEFERRED}
    person = Party.objects.exclude(id_number_index="").first()
    assert person.id_number_encrypted.startswith("v1:")
    assert "*" in person.id_number_masked
    assert len(audit_rows("cases.case.created")) == 30
    assert len(audit_rows("cases.import.imported")) == 1
    assert chain_verify().ok


def test_repeat_parties_are_one_record(courts, clerk, at):
    inputs = _docket(count=200)
    _import(courts.wenxian, inputs, clerk, at)
    keys = {
        p.id_number or p.credit_code for d in inputs for p in (*d.applicants, *d.debtors, *(a.agent for a in d.agents))
    }
    assert Party.objects.count() == len(keys)
    assert CaseParty.objects.values("party").distinct().count() == len(keys)


def test_one_bad_row_imports_nothing_and_names_row_and_field(courts, clerk, at, audit_rows):
    inputs = _docket()
    bad_debtor = dataclasses.replace(
        inputs[6].debtors[0], id_number="410825199001011230", credit_code="", kind="natural_person"
    )
    inputs[6] = dataclasses.replace(inputs[6], debtors=(bad_debtor,))
    before = Party.objects.count()
    batch = _import(courts.wenxian, inputs, clerk, at)
    assert batch.status == ImportStatus.REFUSED
    assert Case.objects.count() == 0
    assert Party.objects.count() == before
    assert [(e["row"], e["field"]) for e in batch.errors] == [(7, "debtors[0].id_number")]
    assert "校验位" in batch.errors[0]["message"]
    assert audit_rows("cases.case.created") == []
    assert len(audit_rows("cases.import.refused")) == 1


def test_duplicates_within_the_file_and_against_open_cases(courts, clerk, at):
    inputs = _docket(count=10)
    batch = _import(courts.wenxian, [*inputs, inputs[3]], clerk, at)
    assert batch.status == ImportStatus.REFUSED
    assert (batch.errors[0]["row"], batch.errors[0]["field"]) == (11, "basis_document_number")
    assert "第4行" in batch.errors[0]["message"]
    assert _import(courts.wenxian, inputs, clerk, at).status == ImportStatus.IMPORTED
    again = _import(courts.wenxian, inputs[:2], clerk, at)
    assert again.status == ImportStatus.REFUSED
    assert {e["row"] for e in again.errors} == {1, 2}
    assert "本院已有未结案件" in again.errors[0]["message"]


def test_same_number_under_another_name_is_refused(courts, clerk, at):
    inputs = _docket(count=3)
    _import(courts.wenxian, inputs[:1], clerk, at)
    renamed = dataclasses.replace(inputs[0].debtors[0], name="改名者")
    row = dataclasses.replace(inputs[1], debtors=(renamed,))
    batch = _import(courts.wenxian, [row], clerk, at)
    assert batch.status == ImportStatus.REFUSED
    assert batch.errors[0]["field"].startswith("debtors[0].")
    assert "不一致" in batch.errors[0]["message"]


def test_error_report_opens_and_names_row_and_column():
    content = error_report(
        errors=[{"row": 7, "field": "debtors[0].id_number", "message": "被执行人1的身份证号校验位错误：应为 3"}],
        file_name="台账.xlsx",
    )
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "错误说明", "字段")
    assert rows[1] == (7, "被执行人1身份证号", "被执行人1的身份证号校验位错误：应为 3", "debtors[0].id_number")


def _sheet(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_template_reads_back_as_one_valid_filing():
    parsed = docket_read(content=template_workbook())
    assert parsed.problems == ()
    assert parsed.rows == (2,)
    assert parsed.inputs[0].debtors[0].name == "张三"


def test_unreadable_cells_are_reported_with_row_and_field():
    row = list(
        next(load_workbook(io.BytesIO(template_workbook())).worksheets[0].iter_rows(min_row=2, values_only=True))
    )
    row[[p for p, _h in COLUMNS].index("application_received_on")] = "去年"
    parsed = docket_read(content=_sheet([row]))
    assert parsed.inputs == ()
    assert [(p.row, p.field) for p in parsed.problems] == [(2, "application_received_on")]


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("none", 403), (Role.EXECUTOR, 403), (Role.FILING_CLERK, 200)],
)
def test_import_page_permissions(client, courts, make_staff, at, role, status):
    if role == "none":
        from zhixing.courts.services import user_create

        client.force_login(user_create(username="nobody", name="无角色", password="x-y-z-123456", actor=None, at=at))
    elif role is not None:
        client.force_login(make_staff(courts.wenxian, role))
    for name in ("cases:import", "cases:import_template"):
        assert client.get(reverse(name)).status_code == status


def test_upload_through_the_page_refuses_a_bad_file_in_chinese(client, courts, clerk):
    client.force_login(clerk)
    response = client.post(reverse("cases:import"), {"file": io.BytesIO(b"not excel")}, follow=True)
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REFUSED
    assert batch.errors[0]["field"] == "file"
    assert "xlsx" in batch.errors[0]["message"]


def test_upload_through_the_page_imports_and_offers_the_error_report(client, courts, clerk):
    client.force_login(clerk)
    upload = io.BytesIO(template_workbook())
    upload.name = "台账.xlsx"
    response = client.post(reverse("cases:import"), {"file": upload}, follow=True)
    assert "已全部导入" in response.content.decode()
    assert Case.objects.count() == 1
    upload = io.BytesIO(template_workbook())
    upload.name = "台账.xlsx"
    response = client.post(reverse("cases:import"), {"file": upload}, follow=True)
    assert "整个文件未导入" in response.content.decode()
    batch = ImportBatch.objects.order_by("-pk").first()
    report = client.get(reverse("cases:import_errors", args=[batch.pk]))
    rows = list(load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:2] == (2, "执行依据文书号")
