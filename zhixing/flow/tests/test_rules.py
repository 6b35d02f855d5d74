"""The pure rules of flow: model checks, deadline arithmetic across the 2026 holidays, excluded days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.core.calendar import WorkCalendar
from zhixing.core.calendar_package import package_years
from zhixing.flow.presets import PRESETS, preset_data
from zhixing.flow.rules.deadlines import due_date, months_before, node_dates, period_end, union_days
from zhixing.flow.rules.graph import EdgeSpec, ModelSpec, StageSpec, model_problems


def _package_calendar(years: range) -> WorkCalendar:
    calendar = WorkCalendar()
    table = package_years()
    for year in years:
        days = table[year]
        calendar = calendar.with_year(
            year=year,
            holidays=[d.day for d in days if d.is_holiday],
            makeup_workdays=[d.day for d in days if not d.is_holiday],
        )
    return calendar


CAL = _package_calendar(range(2024, 2027))


def _spec_from_preset(code: str) -> ModelSpec:
    data = preset_data(code)
    # a preset names team kinds; a court has two teams of each here (the sideways move needs another team)
    stages = tuple(
        StageSpec(
            code=s["code"],
            name=s["name"],
            holder=s.get("holder", "team"),
            pool=tuple(f"{kind}{n}" for kind in s.get("pool", ()) for n in (1, 2)),
            limit_amount=(s.get("limit") or [None])[0],
            limit_unit=(s.get("limit") or [None, "months"])[1],
            sideways_max=(s.get("sideways") or {}).get("max", 0),
            sideways_limit_amount=((s.get("sideways") or {}).get("limit") or [None])[0],
            points=s.get("points", 0),
            is_closing=s.get("is_closing", False),
        )
        for s in data["stages"]
    )
    edges = tuple(
        EdgeSpec(
            source=e.get("from", ""),
            target=e["to"],
            trigger=e["trigger"],
            triage_class=e.get("triage_class", ""),
            label=e.get("label", ""),
        )
        for e in data["edges"]
    )
    return ModelSpec(name=data["name"], stages=stages, edges=edges)


@pytest.mark.parametrize("code", PRESETS)
def test_every_preset_passes_the_model_checks(code):
    assert model_problems(_spec_from_preset(code)) == []


def test_a_stage_that_cannot_reach_a_closing_stage_is_refused_by_name():
    spec = _spec_from_preset("linshu")
    # cut every way out of 上提分管副院长
    edges = tuple(e for e in spec.edges if e.source != "lift_vp")
    problems = model_problems(ModelSpec(name=spec.name, stages=spec.stages, edges=edges))
    assert [p.message for p in problems] == ["“上提分管副院长”到达不了任何结案段：案件进入后将无法办结"]
    assert problems[0].where == "lift_vp"


def test_model_checks_name_each_problem_in_chinese():
    stages = (
        StageSpec(code="a", name="甲", pool=("一队",), limit_amount=None),
        StageSpec(
            code="b",
            name="乙",
            pool=("一队",),
            limit_amount=13,
            limit_unit="months",
            sideways_max=1,
            sideways_limit_amount=1,
        ),
    )
    edges = (
        EdgeSpec(source="", target="a", trigger="entry", triage_class="simple"),
        EdgeSpec(source="a", target="b", trigger="timeout"),
        EdgeSpec(source="a", target="b", trigger="timeout"),
    )
    messages = [p.message for p in model_problems(ModelSpec(name="试", stages=stages, edges=edges))]
    assert "“甲”没有办理期限：除结案段外，每段都要有期限" in messages
    assert "“乙”的办理期限应在1至12个月之间" in messages
    assert "“乙”设置了横向移交，但团队池中只有一个团队，无处移交" in messages
    assert "模型没有结案段：至少要有一个流程段标为结案段" in messages
    assert "繁案没有入口：请为它设置进入流程的第一段" in messages
    assert "“a”期满流转的去向不唯一" in messages


def test_node_due_dates_across_the_2026_national_day_holiday():
    # 2026: 10月1日–7日 are holidays, 9月20日 (Sunday) and 10月10日 (Saturday) are make-up working days.
    # An application received on 9月24日: the 10-day notice lands on 10月4日, a holiday → 10月8日.
    dates = node_dates(anchor_on=date(2026, 9, 24), amount=10, unit="natural_days", warn_days=3, calendar=CAL)
    assert dates.due_on == date(2026, 10, 8)
    assert dates.warn_on == date(2026, 10, 5)
    assert not dates.provisional
    # 3 working days from 9月30日 skip the holiday week and count the make-up Saturday 10月10日.
    assert due_date(anchor_on=date(2026, 9, 30), amount=3, unit="working_days", calendar=CAL).day == date(2026, 10, 10)


def test_a_rule_counted_back_from_an_end_moves_to_the_working_day_before():
    # 终本 materials to 评查 one month before a period ending on 2026-11-01 → 10月1日, a holiday → 9月30日.
    assert due_date(anchor_on=date(2026, 11, 1), amount=-1, unit="months", calendar=CAL).day == date(2026, 9, 30)
    assert months_before(end=date(2026, 3, 31), months=1) == date(2026, 2, 28)


def test_the_execution_period_adds_the_excluded_days_then_the_last_day_rule():
    # filed 2026-03-20, six months → 2026-09-20, a Sunday but a make-up working day (调休): it stays.
    assert period_end(starts_on=date(2026, 3, 20), months=6, excluded_days=0, calendar=CAL).ends_on == date(2026, 9, 20)
    # 5 days excluded → 09-25, 中秋 (25–27) → Monday 09-28; 10 days → 09-30, a working day.
    assert period_end(starts_on=date(2026, 3, 20), months=6, excluded_days=5, calendar=CAL).ends_on == date(2026, 9, 28)
    assert period_end(starts_on=date(2026, 3, 20), months=6, excluded_days=10, calendar=CAL).ends_on == date(
        2026, 9, 30
    )
    # 11 days → 10月1日, a holiday → 10月8日
    assert period_end(starts_on=date(2026, 3, 20), months=6, excluded_days=11, calendar=CAL).ends_on == date(
        2026, 10, 8
    )


intervals = st.lists(
    st.tuples(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)), st.integers(0, 90)),
    max_size=6,
)


@given(intervals)
def test_union_days_counts_each_day_once(raw):
    spans = [(start, start + timedelta(days=length)) for start, length in raw]
    covered = {start + timedelta(days=i) for start, end in spans for i in range((end - start).days)}
    assert union_days(spans) == len(covered)
    assert union_days(spans) <= sum((end - start).days for start, end in spans)


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 6, 30)),
    st.integers(1, 30),
    st.sampled_from(["natural_days", "working_days"]),
)
def test_a_due_date_is_a_working_day_after_the_anchor(anchor, amount, unit):
    due = due_date(anchor_on=anchor, amount=amount, unit=unit, calendar=CAL)
    assert due.day > anchor
    assert due.day.weekday() < 5 or due.day in CAL.makeup_workdays
    assert due.day not in CAL.holidays
