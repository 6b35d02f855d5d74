"""Provisional deadlines in a year the calendar did not cover are computed again when the year is confirmed."""

from __future__ import annotations

from datetime import date

from zhixing.courts.services import calendar_year_enter
from zhixing.flow.models import ExecutionPeriod, NodeInstance

from .conftest import moment

# 2027 as an administrator would enter it: 清明 3–5 April (a Saturday to a Monday).
HOLIDAYS_2027 = "2027-01-01 元旦\n2027-02-06 至 2027-02-13 春节\n2027-04-03 至 2027-04-05 清明节"


def test_confirming_2027_moves_the_provisional_dates_and_only_those(load_preset, file, staff, audit_rows):
    load_preset("鲁1329", "linshu")
    # filed 2026-10-05: six months end on 2027-04-05, a Monday by weekends alone — provisional
    case = file("鲁1329", "ls_lian", on=date(2026, 10, 5))
    period = ExecutionPeriod.objects.get(case=case)
    assert (period.ends_on, period.ends_provisional) == (date(2027, 4, 5), True)
    notice = NodeInstance.objects.get(case=case, key="execution_notice")
    assert notice.due_provisional is False  # 2026 is covered: the ten days are final

    calendar_year_enter(year=2027, holidays_text=HOLIDAYS_2027, makeup_text="", confirm=True,
                        actor=staff("ls_admin"), at=moment(date(2026, 11, 23)))

    period.refresh_from_db()
    # 2027-04-05 is now a holiday (清明): the period ends the next working day, and is final
    assert (period.ends_on, period.ends_provisional) == (date(2027, 4, 6), False)
    node = NodeInstance.objects.get(case=case, key="execution_period")
    assert (node.due_on, node.due_provisional) == (date(2027, 4, 6), False)
    notice.refresh_from_db()
    assert notice.due_on == date(2026, 10, 15)  # untouched
    recomputed = audit_rows("flow.dates.recomputed")
    assert len(recomputed) == 1
    assert recomputed[0]["case_id"] == case.pk
