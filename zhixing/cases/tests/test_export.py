"""Excel export of the current list: Chinese header, masked IDs, numeric amounts, bounded, audited."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhixing.cases import export
from zhixing.cases.choices import CaseStatus
from zhixing.cases.tests.conftest import ADULT_ID
from zhixing.cases.tests.test_list import file_on
from zhixing.courts.choices import Role

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def signed_in(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR, name="执行员李"))
    return client


def test_the_export_holds_the_filtered_list_with_masked_ids_and_numeric_amounts(
    signed_in, courts, file_case, audit_rows
):
    running = file_on(
        file_case,
        courts.wenxian,
        date(2026, 3, 2),
        status=CaseStatus.IN_EXECUTION,
        amount_claimed=Decimal("123456.70"),
    )
    file_on(file_case, courts.wenxian, date(2026, 3, 3))  # filtered out
    file_on(file_case, courts.wuzhi, date(2026, 3, 4), status=CaseStatus.IN_EXECUTION)  # another court

    response = signed_in.get(reverse("cases:case_export"), {"status": "in_execution"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == export.HEADER
    assert len(rows) == 2
    row = dict(zip(export.HEADER, rows[1], strict=True))
    assert row["案号"] == running.number
    assert row["法院"] == "温县人民法院"
    assert row["状态"] == "执行中"
    assert row["申请执行标的额（元）"] == pytest.approx(123456.70)
    assert sheet.cell(row=2, column=9).number_format == "#,##0.00"
    assert row["立案日期"].date() == date(2026, 3, 2)
    assert row["是否超期"] == "是"
    assert row["被执行人"] == "张三"
    assert row["被执行人证件号码（脱敏）"] == "410105********5011"
    assert all(ADULT_ID not in str(value) for line in rows for value in line)
    records = audit_rows("cases.list.exported")
    assert len(records) == 1
    assert records[0]["court_id"] == courts.wenxian.pk
    assert json.loads(records[0]["data"]) == {"filters": {"status": "in_execution"}, "rows": 1}


def test_an_export_above_the_limit_is_refused_with_a_message_and_not_recorded(
    signed_in, courts, file_case, audit_rows, monkeypatch
):
    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 1)
    file_on(file_case, courts.wenxian, date(2026, 3, 2))
    file_on(file_case, courts.wenxian, date(2026, 3, 3))

    response = signed_in.get(reverse("cases:case_export"))

    assert response.status_code == 400
    assert "符合条件的案件超过1件，无法导出。请缩小筛选范围" in response.content.decode()
    assert audit_rows("cases.list.exported") == []


def test_the_export_reads_the_list_in_keyset_chunks(signed_in, courts, file_case, monkeypatch):
    monkeypatch.setattr(export, "_CHUNK", 2)
    cases = [file_on(file_case, courts.wenxian, date(2026, 3, day)) for day in range(2, 7)]

    response = signed_in.get(reverse("cases:case_export"))

    sheet = load_workbook(BytesIO(response.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [c.number for c in reversed(cases)]


def test_the_export_needs_a_court_role(client, db):
    assert client.get(reverse("cases:case_export")).status_code == 302
