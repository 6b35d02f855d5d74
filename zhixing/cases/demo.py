"""
The demo docket: realistic synthetic enforcement cases for a court, deterministic from a seed.

Shared by ``manage.py seed_demo_cases`` (about 250 cases per demo basic court) and ``bench/cases_load.py``
(a million). Pure: no database, no clock; the output is :class:`~zhixing.cases.inputs.CaseFilingInput`
values, the same shape the filing form, the API and the Excel import produce, plus the status each case
should end in (reached through ``case_transition`` by the demo loader). Every name is fictional; every
身份证号 and 统一社会信用代码 is valid (GB 11643 / GB 32100 check characters) and unique in one docket.

What makes it look like a real docket:

- amounts are log-normal (median about ¥30,000: many small claims of 5k–50k, a tail to millions);
- about three in four bases are judgments or mediation statements (诉讼类), the rest arbitral awards
  of the local 仲裁委员会 or notarised debt instruments (非诉讼类, 公证债权文书);
- one debtor in four already owes in another case of the docket (串案), and banks and lenders apply
  again and again;
- minors appear as applicants in 抚养费 cases and now and then as debtors (through a guardian);
  some debtors are public servants with their employer;
- receipt dates are spread over 2024-01 … 2026-11, each within two years of the basis' due date;
- some cases carry preservations from trial, some an agent, some a deferral with the applicant's consent.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from zhixing.cases.choices import BasisKind, CaseStatus, CaseType, ControlKind, DebtorAttitude, PartyKind, PartyRole
from zhixing.cases.inputs import AgentInput, CaseFilingInput, DeferralInput, PartyInput, PreservationInput
from zhixing.core.identity import (
    SAMPLE_REGION_CODES,
    generate_credit_code,
    generate_phone,
    generate_resident_id,
)

#: The demo's "today": everything generated happened on or before it.
DEMO_DATE: Final = date(2026, 11, 23)
FIRST_RECEIPT: Final = date(2024, 1, 2)


@dataclass(frozen=True, slots=True)
class CourtPlace:
    """Where a court sits: its county's region code and names used in addresses and bodies."""

    region_code: str
    province: str
    city: str
    county: str
    towns: tuple[str, ...]
    arbitration: str
    notary: str


PLACES: Final[dict[str, CourtPlace]] = {
    "豫0825": CourtPlace(
        "410825", "河南省", "焦作市", "温县",
        ("温泉街道", "岳村街道", "祥云镇", "番田镇", "黄庄镇", "武德镇", "赵堡镇", "北冷乡", "南张羌镇", "招贤乡"),
        "焦作仲裁委员会", "河南省温县公证处",
    ),
    "豫0823": CourtPlace(
        "410823", "河南省", "焦作市", "武陟县",
        ("木城街道", "龙源街道", "詹店镇", "西陶镇", "谢旗营镇", "大封镇", "乔庙镇", "三阳乡", "小董乡"),
        "焦作仲裁委员会", "河南省武陟县公证处",
    ),
    "鲁1329": CourtPlace(
        "371329", "山东省", "临沂市", "临沭县",
        ("临沭街道", "郑山街道", "玉山镇", "青云镇", "石门镇", "蛟龙镇", "店头镇", "曹庄镇", "大兴镇"),
        "临沂仲裁委员会", "山东省临沂市沂蒙公证处",
    ),
}  # fmt: skip

#: Target statuses and their weights: a docket at every stage.
STATUS_WEIGHTS: Final = (
    (CaseStatus.FILED, 14),
    (CaseStatus.DEFERRED, 5),
    (CaseStatus.IN_EXECUTION, 42),
    (CaseStatus.SUSPENDED, 7),
    (CaseStatus.CLOSED, 29),
    (CaseStatus.WITHDRAWN, 3),
)

_SURNAMES: Final = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
_GIVEN: Final = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志宏海波辉晓东雪梅文斌春林宇浩俊峰亮凤琴云莲"
)
_VILLAGES: Final = "东西南北前后大小新老"
_FIRM_WORDS: Final = ("鑫源", "宏达", "恒通", "昌盛", "顺发", "金辉", "瑞丰", "华茂", "永利", "兴旺", "广源", "嘉禾")
_FIRM_TRADES: Final = ("建材", "商贸", "农业科技", "建筑工程", "机械制造", "食品", "物流", "置业", "纺织", "汽车销售")
_FIRM_FORMS: Final = ("有限公司", "有限责任公司", "股份有限公司")
_LENDERS: Final = (
    "{county}农村商业银行股份有限公司",
    "中国农业银行股份有限公司{county}支行",
    "中国邮政储蓄银行股份有限公司{county}支行",
    "中国建设银行股份有限公司{city}分行",
    "{city}中原小额贷款有限公司",
    "{county}城乡建设投资有限公司",
)
_EMPLOYERS: Final = (
    "{county}教育局", "{county}人民医院", "{county}自然资源局", "{county}第一初级中学", "{town}人民政府",
)  # fmt: skip
_CLAIMS: Final = (
    ("民间借贷纠纷", "偿还借款本金{amount}元及利息"),
    ("买卖合同纠纷", "支付货款{amount}元及逾期付款损失"),
    ("金融借款合同纠纷", "偿还借款本金{amount}元及利息、罚息"),
    ("劳动争议", "支付拖欠工资及经济补偿金共计{amount}元"),
    ("机动车交通事故责任纠纷", "赔偿各项损失共计{amount}元"),
    ("建设工程施工合同纠纷", "支付工程款{amount}元"),
    ("租赁合同纠纷", "支付租金{amount}元并腾退房屋"),
)
_PRESERVED: Final = (
    (ControlKind.FREEZE, "被申请人名下银行存款", "{county}农村商业银行股份有限公司"),
    (ControlKind.SEAL, "被申请人名下{town}住宅一套", "{city}不动产登记中心"),
    (ControlKind.SEIZE, "被申请人名下小型轿车一辆", "{city}公安局交通警察支队车辆管理所"),
)
#: Preservation periods (最高法《关于人民法院办理财产保全案件若干问题的规定》第18条): deposits 1 year,
#: movables 2 years, real estate 3 years.
_PRESERVATION_YEARS: Final = {ControlKind.FREEZE: 1, ControlKind.SEIZE: 2, ControlKind.SEAL: 3}


@dataclass(frozen=True, slots=True)
class DemoCase:
    """One generated case: what is filed, and the status the demo moves it to afterwards."""

    filing: CaseFilingInput
    status: CaseStatus


class _Docket:
    """The state of one generation: the random stream, numbers already issued and the pools of repeat parties."""

    def __init__(self, *, court_code: str, seed: int, today: date) -> None:
        self.rng = random.Random(f"{court_code}:{seed}")  # noqa: S311 - synthetic data, reproducible by design
        self.court_code = court_code
        self.place = PLACES.get(court_code, PLACES["豫0825"])
        self.today = today
        self.ids: set[str] = set()
        self.codes: set[str] = set()
        self.unit_names: set[str] = set()
        self.debtors: list[PartyInput] = []
        self.lenders = [self._unit(name=pattern.format(county=self.place.county, city=self.place.city))
                        for pattern in _LENDERS]  # fmt: skip
        self.serial = 0

    # --- parties -----------------------------------------------------------------------------------

    def _name(self) -> str:
        rng = self.rng
        return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))

    def _address(self) -> str:
        rng, p = self.rng, self.place
        town = rng.choice(p.towns)
        village = f"{rng.choice(_VILLAGES)}{rng.choice(_SURNAMES)}村"
        return f"{p.province}{p.city}{p.county}{town}{village}{rng.randint(1, 199)}号"

    def _id_number(self, *, born: date | None = None) -> str:
        rng = self.rng
        region = self.place.region_code if rng.random() < 0.85 else rng.choice(SAMPLE_REGION_CODES)
        while True:
            number = generate_resident_id(rng=rng, birth_date=born, region_code=region)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def person(self, *, minor: bool = False, public_servant: bool = False) -> PartyInput:
        rng = self.rng
        born = None
        if minor:
            born = self.today - timedelta(days=rng.randint(365 * 3, 365 * 17))
        else:
            born = date.fromordinal(rng.randint(date(1950, 1, 1).toordinal(), date(2000, 12, 31).toordinal()))
        employer = ""
        if public_servant:
            town = rng.choice(self.place.towns)
            employer = rng.choice(_EMPLOYERS).format(county=self.place.county, town=town)
        return PartyInput(
            kind=PartyKind.NATURAL_PERSON,
            name=self._name(),
            id_number=self._id_number(born=born),
            phone="" if minor else generate_phone(rng=rng),
            address=self._address(),
            employer=employer,
            is_public_servant=public_servant,
        )

    def _unit(self, *, name: str | None = None) -> PartyInput:
        rng = self.rng
        while True:
            code = generate_credit_code(rng=rng, region_code=self.place.region_code)
            if code not in self.codes:
                self.codes.add(code)
                break
        if name is None:
            name = self._unit_name()
        return PartyInput(
            kind=PartyKind.LEGAL_PERSON,
            name=name,
            credit_code=code,
            phone=f"0391-{rng.randint(1_000_000, 9_999_999)}"
            if self.place.region_code.startswith("41")
            else f"0539-{rng.randint(1_000_000, 9_999_999)}",
            address=self._address(),
            legal_representative=self._name(),
        )

    def _unit_name(self) -> str:
        """Return a county firm's name not used yet in this docket (a branch once the plain names run out)."""
        rng = self.rng
        base = ""
        for _ in range(8):
            base = (
                f"{self.place.county[:-1]}{rng.choice(_FIRM_WORDS)}{rng.choice(_FIRM_TRADES)}{rng.choice(_FIRM_FORMS)}"
            )
            if base not in self.unit_names:
                self.unit_names.add(base)
                return base
        branch = 2
        while f"{base}第{branch}分公司" in self.unit_names:
            branch += 1
        self.unit_names.add(name := f"{base}第{branch}分公司")
        return name

    def debtor(self) -> PartyInput:
        rng = self.rng
        if self.debtors and rng.random() < 0.25:
            return rng.choice(self.debtors)  # 串案: the same debtor in another case
        roll = rng.random()
        if roll < 0.22:
            party = self._unit()
        elif roll < 0.235:
            party = self.person(minor=True)
        else:
            party = self.person(public_servant=rng.random() < 0.05)
        self.debtors.append(party)
        if len(self.debtors) > 5000:
            del self.debtors[: len(self.debtors) - 5000]
        return party

    # --- one case ----------------------------------------------------------------------------------

    def amount(self) -> Decimal:
        value = math.exp(self.rng.gauss(math.log(30_000), 1.25))
        return Decimal(min(max(value, 1_000.0), 80_000_000.0)).quantize(Decimal("0.01"))

    def case(self) -> DemoCase:
        rng, p = self.rng, self.place
        self.serial += 1
        span = (self.today - timedelta(days=3) - FIRST_RECEIPT).days
        # More recent receipts are likelier: a docket grows.
        received = FIRST_RECEIPT + timedelta(days=int(span * math.sqrt(rng.random())))
        effective = received - timedelta(days=rng.randint(40, 500))
        due = effective + timedelta(days=rng.choice((10, 15, 30))) if rng.random() < 0.7 else None
        amount = self.amount()
        family = rng.random() < 0.03
        debtors = (self.debtor(),)
        if family:
            applicants: tuple[PartyInput, ...] = (self.person(minor=True),)
            cause, duty = "抚养费纠纷", "每月支付抚养费并一次性支付拖欠抚养费共计{amount}元"
        else:
            roll = rng.random()
            applicants = (rng.choice(self.lenders),) if roll < 0.3 else (
                (self._unit(),) if roll < 0.45 else (self.person(),))  # fmt: skip
            cause, duty = rng.choice(_CLAIMS)
            if rng.random() < 0.15:
                second = self.debtor()
                if second != debtors[0]:
                    debtors = (debtors[0], second)
        if set(applicants) & set(debtors):
            debtors = (self.person(),)
        roll = rng.random()
        year = effective.year
        if roll < 0.75:
            kind, body = BasisKind.LITIGATION, f"{p.county}人民法院"
            number = f"（{year}）{self.court_code}民初{self.serial}号"
            trial = number
            obligations = f"被告于判决生效之日起十日内{duty.format(amount=f'{amount:f}')}（{cause}）。"
        elif roll < 0.9:
            kind, body = BasisKind.NON_LITIGATION, p.arbitration
            number = f"（{year}）{p.arbitration[:2]}仲裁字第{self.serial}号"
            trial = ""
            obligations = f"被申请人{duty.format(amount=f'{amount:f}')}（{cause}，仲裁裁决）。"
        else:
            kind, body = BasisKind.NON_LITIGATION, p.notary
            number = f"（{year}）{p.county[:2]}证经字第{self.serial}号"
            trial = ""
            obligations = f"债务人{duty.format(amount=f'{amount:f}')}（赋予强制执行效力的债权文书公证）。"
        status = rng.choices([s for s, _ in STATUS_WEIGHTS], weights=[w for _, w in STATUS_WEIGHTS])[0]
        preservations: tuple[PreservationInput, ...] = ()
        if kind == BasisKind.LITIGATION and rng.random() < 0.12:
            control, what, where = rng.choice(_PRESERVED)
            start = effective - timedelta(days=rng.randint(60, 300))
            preservations = (
                PreservationInput(
                    kind=control,
                    property_description=what.format(town=rng.choice(p.towns)),
                    location=where.format(county=p.county, city=p.city),
                    active_from=start,
                    active_to=start.replace(year=start.year + _PRESERVATION_YEARS[control], day=min(start.day, 28)),
                    amount=min(amount, self.amount() * 3),
                    ruling_number=f"（{start.year}）{self.court_code}民初{self.serial}号之一",
                ),
            )
        agents: tuple[AgentInput, ...] = ()
        if applicants[0].kind != PartyKind.NATURAL_PERSON and rng.random() < 0.3:
            agents = (AgentInput(agent=self.person(), principal_role=PartyRole.APPLICANT, principal_index=0),)
        deferral = None
        if status in (CaseStatus.DEFERRED, CaseStatus.WITHDRAWN):
            deferral = DeferralInput(
                reason="经初步查询，被执行人名下暂无可供执行的财产，不具备执行条件。",
                consent_on=received,
                consent_evidence="申请执行人签署的《同意暂缓立案确认书》",
            )
        filing = CaseFilingInput(
            type_code=CaseType.FIRST_ENFORCEMENT,
            application_received_on=received,
            amount_claimed=amount,
            costs=Decimal("0.00"),
            basis_issuing_body=body,
            basis_document_number=number,
            basis_effective_on=effective,
            basis_performance_due_on=due,
            basis_kind=kind,
            basis_obligations=obligations,
            applicants=applicants,
            debtors=debtors,
            agents=agents,
            trial_case_number=trial,
            debtor_attitude=rng.choice(list(DebtorAttitude.values)),
            preservations=preservations,
            deferral=deferral,
        )
        return DemoCase(filing=filing, status=status)


def demo_cases(*, court_code: str, count: int, seed: int = 2026, today: date = DEMO_DATE) -> Iterator[DemoCase]:
    """
    Yield ``count`` cases for the court with ``court_code``, the same ones for the same seed.

    The court's county (``PLACES``) gives the addresses, region codes and local bodies; an unknown court
    borrows 温县's. Streamed, so a million cases never sit in memory at once.
    """
    docket = _Docket(court_code=court_code, seed=seed, today=today)
    for _ in range(count):
        yield docket.case()
