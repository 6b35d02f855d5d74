"""The pure filing rules: every field problem, and the two-year application period (民诉法 第250条)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhixing.cases.choices import LimitationEventKind as K
from zhixing.cases.inputs import (
    AgentInput,
    CaseFilingInput,
    DeferralInput,
    LimitationEventInput,
    PartyInput,
    PreservationInput,
)
from zhixing.cases.rules.filing import application_period_end, filing_problems
from zhixing.core.calendar import WEEKENDS_ONLY, WorkCalendar, add_months

TODAY = date(2026, 11, 23)
ADULT_ID = "410105198005175011"
OTHER_ID = "11010519491231002X"
CREDIT_CODE = "91410825XG612DD261"

BANK = PartyInput(kind="legal_person", name="温县农村商业银行股份有限公司", credit_code=CREDIT_CODE)
ZHANG = PartyInput(kind="natural_person", name="张三", id_number=ADULT_ID)


def filing(**overrides: object) -> CaseFilingInput:
    fields: dict[str, object] = {
        "type_code": "执",
        "application_received_on": date(2026, 11, 20),
        "amount_claimed": Decimal("100000.00"),
        "basis_issuing_body": "温县人民法院",
        "basis_document_number": "（2026）豫0825民初100号",
        "basis_effective_on": date(2026, 9, 1),
        "basis_kind": "litigation",
        "basis_obligations": "被告张三偿还原告借款100000元。",
        "applicants": (BANK,),
        "debtors": (ZHANG,),
    }
    fields.update(overrides)
    return CaseFilingInput(**fields)


def problems_of(data: CaseFilingInput, *, today: date = TODAY) -> dict[str, str]:
    return {p.field: p.message for p in filing_problems(data=data, today=today, calendar=WEEKENDS_ONLY).problems}


def event(
    kind: str, on: date, reason: str = "债务人书面承认债务", evidence: str = "还款承诺书"
) -> LimitationEventInput:
    return LimitationEventInput(kind=kind, occurred_on=on, reason=reason, evidence=evidence)


def test_a_complete_filing_has_no_problems():
    assert problems_of(filing()) == {}
    assert not filing_problems(data=filing(), today=TODAY, calendar=WEEKENDS_ONLY)


def test_amounts_must_be_non_negative_with_two_decimals():
    problems = problems_of(filing(amount_claimed=Decimal("-1"), costs=Decimal("1.005")))

    assert problems == {
        "amount_claimed": "申请执行标的额：金额“-1”不能为负数",
        "costs": "执行费用：金额“1.005”超过两位小数：金额最多精确到分",
    }


def test_required_texts_and_choices_are_named():
    problems = problems_of(
        filing(type_code="民", basis_kind="", basis_issuing_body=" ", basis_document_number="", basis_obligations="")
    )

    assert problems == {
        "type_code": "案件类型“民”不是执行案件类型代字",
        "basis_kind": "请选择执行依据类别（诉讼类或非诉讼类）",
        "basis_issuing_body": "请填写执行依据作出机关",
        "basis_document_number": "请填写执行依据文书号",
        "basis_obligations": "请填写执行依据确定的义务",
    }


def test_party_numbers_are_checked_with_their_path():
    bad_debtor = PartyInput(kind="natural_person", name="李四", id_number="410105198005175012")
    bad_unit = PartyInput(kind="legal_person", name="某公司", credit_code="91410825XG612DD262")

    problems = problems_of(filing(applicants=(BANK, bad_unit), debtors=(ZHANG, bad_debtor)))

    assert problems == {
        "applicants[1].credit_code": "申请执行人2的统一社会信用代码校验位错误：应为 1",
        "debtors[1].id_number": "被执行人2的身份证号校验位错误：应为 1",
    }


def test_a_number_of_the_wrong_kind_and_a_missing_name():
    unit_with_id = PartyInput(kind="legal_person", name="", id_number=ADULT_ID)

    assert problems_of(filing(debtors=(unit_with_id,))) == {
        "debtors[0].name": "请填写被执行人1的姓名或名称",
        "debtors[0].id_number": "被执行人1是单位，不填身份证号，请填写统一社会信用代码",
    }


def test_at_least_one_applicant_and_one_debtor():
    assert problems_of(filing(applicants=(), debtors=())) == {
        "applicants": "至少需要一名申请执行人",
        "debtors": "至少需要一名被执行人",
    }


def test_the_same_party_cannot_be_on_both_sides():
    same = PartyInput(kind="natural_person", name="张三", id_number=ADULT_ID[:6] + " " + ADULT_ID[6:])

    assert problems_of(filing(applicants=(same,), debtors=(ZHANG,))) == {
        "debtors[0].id_number": "被执行人1与申请执行人1是同一当事人：同一当事人不能既是申请执行人又是被执行人"
    }


def test_agents_must_point_to_an_existing_principal_and_not_be_a_party():
    agent = PartyInput(kind="natural_person", name="王律师", id_number=OTHER_ID)
    agents = (
        AgentInput(agent=agent, principal_role="debtor", principal_index=3),
        AgentInput(agent=ZHANG, principal_role="applicant", principal_index=0),
        AgentInput(agent=agent, principal_role="agent", principal_index=0),
    )

    assert problems_of(filing(agents=agents)) == {
        "agents[0].principal_index": "委托代理人1的被代理人“被执行人4”不存在（本案共1名被执行人）",
        "agents[1].agent.name": "委托代理人2是本案当事人，不能同时担任委托代理人",
        "agents[2].principal_role": "委托代理人3的被代理人应为申请执行人或被执行人",
    }


def test_dates_are_not_in_the_future_and_in_order():
    assert problems_of(filing(application_received_on=date(2026, 11, 24))) == {
        "application_received_on": "收到申请日期2026-11-24晚于今天（2026-11-23）"
    }
    assert problems_of(filing(basis_performance_due_on=date(2026, 8, 31))) == {
        "basis_performance_due_on": "履行期限届满日期2026-08-31早于执行依据生效日期2026-09-01"
    }
    assert problems_of(filing(basis_performance_due_on=date(2026, 11, 21))) == {
        "basis_performance_due_on": "履行期限届满日期2026-11-21晚于收到申请日期2026-11-20：履行期限届满前不能申请执行"
    }
    assert problems_of(filing(basis_effective_on=date(2026, 11, 21))) == {
        "application_received_on": "收到申请日期2026-11-20早于执行依据生效日期2026-11-21"
    }


def test_a_preservation_period_must_not_be_empty():
    empty = PreservationInput(
        kind="freeze",
        property_description="银行存款",
        location="温县农商行",
        active_from=date(2026, 6, 1),
        active_to=date(2026, 6, 1),
        amount=Decimal("0.001"),
    )

    assert problems_of(filing(preservations=(empty,))) == {
        "preservations[0].active_to": "保全措施1的届满日期2026-06-01应晚于起始日期2026-06-01",
        "preservations[0].amount": "保全措施1的保全金额：金额“0.001”超过两位小数：金额最多精确到分",
    }


def test_limitation_events_must_be_ordered_complete_and_evidenced():
    events = (
        event(K.SUSPENSION_START, date(2026, 10, 1)),
        event(K.INTERRUPTION, date(2026, 9, 20), evidence=""),
    )

    assert problems_of(filing(limitation_events=events)) == {
        "limitation_events[1].evidence": "请填写时效事由2的证据",
        "limitation_events[1].occurred_on": "时效事由2的发生日期2026-09-20早于上一事由，请按时间顺序填写",
        "limitation_events[0].kind": "时效事由1：时效中止开始后缺少“时效中止事由消除”，请补充事由消除的日期和证据",
    }
    assert problems_of(filing(limitation_events=(event(K.SUSPENSION_END, date(2026, 10, 1)),))) == {
        "limitation_events[0].kind": "时效事由1：时效中止事由消除之前没有对应的时效中止开始"
    }


def test_a_deferral_needs_a_past_consent_and_evidence():
    deferral = DeferralInput(reason="未发现财产", consent_on=date(2026, 11, 24), consent_evidence="")

    assert problems_of(filing(deferral=deferral)) == {
        "deferral.consent_evidence": "请填写申请执行人同意的证明",
        "deferral.consent_on": "申请执行人同意日期2026-11-24晚于今天（2026-11-23）",
    }


def test_an_application_after_two_years_names_the_end_and_the_events():
    late = filing(basis_effective_on=date(2023, 9, 1))

    assert problems_of(late) == {
        "application_received_on": "收到申请日期2026-11-20已超过申请执行期间：该期间自2023-09-01起算二年，"
        "于2025-09-01届满（未计入时效中止、中断事由）（民事诉讼法第二百五十条）"
    }


def test_an_interruption_restarts_the_period():
    saved = filing(basis_effective_on=date(2023, 9, 1), limitation_events=(event(K.INTERRUPTION, date(2025, 3, 2)),))
    period = application_period_end(
        basis_effective_on=date(2023, 9, 1),
        performance_due_on=None,
        events=saved.limitation_events,
        calendar=WEEKENDS_ONLY,
    )

    assert problems_of(saved) == {}
    assert period.ends_on == date(2027, 3, 2)
    assert period.describe_applied() == "已计入2025-03-02时效中断"


def test_an_interruption_after_the_end_does_not_revive_the_period():
    late = filing(basis_effective_on=date(2023, 9, 1), limitation_events=(event(K.INTERRUPTION, date(2025, 10, 1)),))

    assert problems_of(late)["application_received_on"].startswith(
        "收到申请日期2026-11-20已超过申请执行期间：该期间自2023-09-01起算二年，于2025-09-01届满（未计入"
    )


def test_a_suspension_in_the_last_six_months_ends_six_months_after_its_cause():
    events = (event(K.SUSPENSION_START, date(2025, 7, 1)), event(K.SUSPENSION_END, date(2026, 6, 10)))
    period = application_period_end(
        basis_effective_on=date(2023, 9, 1), performance_due_on=None, events=events, calendar=WEEKENDS_ONLY
    )

    assert period.ends_on == date(2026, 12, 10)
    assert period.describe_applied() == "已计入2025-07-01至2026-06-10时效中止"
    assert problems_of(filing(basis_effective_on=date(2023, 9, 1), limitation_events=events)) == {}


def test_a_suspension_before_the_last_six_months_is_not_counted():
    events = (event(K.SUSPENSION_START, date(2024, 1, 1)), event(K.SUSPENSION_END, date(2024, 3, 1)))
    period = application_period_end(
        basis_effective_on=date(2023, 9, 1), performance_due_on=None, events=events, calendar=WEEKENDS_ONLY
    )

    assert period.ends_on == date(2025, 9, 1)
    assert period.applied == ()


def test_the_period_runs_from_the_performance_due_date_and_moves_past_a_rest_day():
    # 2024-09-07 + 2 years = 2026-09-07, a Monday; 2024-09-05 → 2026-09-05 (Saturday) → Monday 2026-09-07.
    period = application_period_end(
        basis_effective_on=date(2024, 8, 20), performance_due_on=date(2024, 9, 5), events=(), calendar=WEEKENDS_ONLY
    )

    assert period.starts_on == date(2024, 9, 5)
    assert period.end.nominal == date(2026, 9, 5)
    assert period.ends_on == date(2026, 9, 7)


def test_a_holiday_on_the_last_day_moves_the_end():
    calendar = WorkCalendar().with_year(
        year=2026, holidays=[date(2026, 10, d) for d in range(1, 9)], makeup_workdays=[date(2026, 10, 10)]
    )
    period = application_period_end(
        basis_effective_on=date(2024, 10, 1), performance_due_on=None, events=(), calendar=calendar
    )

    assert period.ends_on == date(2026, 10, 9)


dates = st.dates(min_value=date(2016, 1, 1), max_value=date(2030, 12, 31))


@given(start=dates)
def test_without_events_the_period_is_exactly_two_years_with_the_last_day_rule(start):
    period = application_period_end(
        basis_effective_on=start, performance_due_on=None, events=(), calendar=WEEKENDS_ONLY
    )

    assert period.end == add_months(start=start, months=24, calendar=WEEKENDS_ONLY)


@st.composite
def event_lists(draw):
    start = draw(dates)
    offsets = sorted(draw(st.lists(st.integers(min_value=0, max_value=1500), max_size=6)))
    events = []
    open_suspension = False
    for offset in offsets:
        on = start + timedelta(days=offset)
        if open_suspension:
            kind = draw(st.sampled_from([K.SUSPENSION_END, K.INTERRUPTION]))
        else:
            kind = draw(st.sampled_from([K.SUSPENSION_START, K.INTERRUPTION]))
        open_suspension = (open_suspension or kind == K.SUSPENSION_START) and kind != K.SUSPENSION_END
        events.append(event(kind, on))
    if open_suspension:
        events.append(event(K.SUSPENSION_END, start + timedelta(days=offsets[-1] + draw(st.integers(0, 400)))))
    return start, tuple(events)


@given(case=event_lists(), extra=st.integers(min_value=0, max_value=1500))
def test_an_interruption_never_shortens_the_period(case, extra):
    start, events = case
    interruption = event(K.INTERRUPTION, start + timedelta(days=extra))
    with_interruption = tuple(sorted((*events, interruption), key=lambda e: e.occurred_on))

    before = application_period_end(
        basis_effective_on=start, performance_due_on=None, events=events, calendar=WEEKENDS_ONLY
    )
    after = application_period_end(
        basis_effective_on=start, performance_due_on=None, events=with_interruption, calendar=WEEKENDS_ONLY
    )

    assert after.ends_on >= before.ends_on


@given(case=event_lists())
def test_events_never_shorten_the_plain_two_years(case):
    start, events = case
    plain = application_period_end(basis_effective_on=start, performance_due_on=None, events=(), calendar=WEEKENDS_ONLY)
    applied = application_period_end(
        basis_effective_on=start, performance_due_on=None, events=events, calendar=WEEKENDS_ONLY
    )

    assert applied.ends_on >= plain.ends_on


def test_the_filing_problems_do_not_change_the_input():
    data = filing(costs=Decimal("-5"))
    copy = replace(data)

    problems_of(data)

    assert data == copy
