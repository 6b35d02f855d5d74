"""The daily digest: one alert a day per executor with nodes overdue or due within three days."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhixing.core.models import Alert
from zhixing.flow.services import digest_raise, visit_assign

from .conftest import moment


def test_the_digest_counts_overdue_and_coming_nodes_once_a_day(load_preset, file, staff):
    load_preset("鲁1329", "linshu")
    case = file(
        "鲁1329", "ls_lian", on=date(2026, 11, 16), debtor_attitude="paying", amount_claimed=Decimal("20000.00")
    )
    # a simple case goes to 速执团队, which has no leader in the demo: the bureau chief assigns
    visit_assign(case=case, executor=staff("ls_suzhi"), actor=staff("ls_juzhang"), at=moment(date(2026, 11, 16)))

    # on 11-23 the network inquiry is due today (filed 11-16 + 5 = Saturday 11-21, moved to Monday 11-23)
    # and the notices within three days (application 11-16 + 10 = 11-26)
    assert digest_raise(at=moment(date(2026, 11, 23), 7)) == 1
    alert = Alert.objects.get(kind="flow.daily_digest")
    assert alert.recipient == staff("ls_suzhi")
    assert alert.title == "今日待办：已超期节点0个，三日内到期节点2个"
    assert digest_raise(at=moment(date(2026, 11, 23), 13)) == 0  # once a day
    assert digest_raise(at=moment(date(2026, 11, 24), 7)) == 1  # and again the next day
