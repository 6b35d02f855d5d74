"""An executor in Chromium: the case page loads the progress table; completing a node with a note marks it 已完成."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from zhixing.courts.demo import DEMO_PASSWORD
from zhixing.flow.models import NodeInstance
from zhixing.flow.tests.conftest import demo, file, load_preset, staff  # noqa: F401 — the flow tests' fixtures

pytestmark = pytest.mark.browser

NOTE = "已通过总对总系统发起网络查控，查询存款、车辆、不动产。"


@pytest.fixture
def migrated_data(transactional_db) -> None:
    """Load again what the data migrations load (team kinds, holidays): an earlier transactional test flushed them."""
    for name in ("zhixing.courts.migrations.0002_team_kinds", "zhixing.courts.migrations.0003_calendar_seed"):
        import_module(name).seed(django_apps, None)


def test_an_executor_completes_a_node_on_the_case_page(migrated_data, page, log_in, load_preset, file, staff):  # noqa: F811
    load_preset("鲁1329", "linshu")
    case = file("鲁1329", "ls_lian", on=timezone.localdate())
    log_in("ls_jingzhi1", DEMO_PASSWORD)

    page.goto(f"/cases/{case.pk}/")
    row = page.get_by_test_id("node-network_inquiry")  # the panel arrives by htmx after the page
    row.wait_for()

    assert "临沭模式" in page.get_by_test_id("flow-model").inner_text()
    assert page.get_by_test_id("node-state-network_inquiry").inner_text() == "进行中"  # due in 5 days or more

    # a refused completion (a note too short) is shown in the panel, and what was typed stays
    row.get_by_text("办理").click()
    row.locator("textarea[name=note]").fill("已查询")
    row.get_by_role("button", name="完成节点").click()
    page.get_by_test_id("progress-error").wait_for()

    assert page.get_by_test_id("progress-error").inner_text() == "请填写工作记录（不少于10个字），说明办理情况。"
    assert page.get_by_test_id("node-network_inquiry").locator("textarea[name=note]").input_value() == "已查询"

    row = page.get_by_test_id("node-network_inquiry")
    row.locator("textarea[name=note]").fill(NOTE)
    row.get_by_role("button", name="完成节点").click()
    page.get_by_test_id("progress-message").wait_for()

    assert page.get_by_test_id("progress-message").inner_text() == "已完成“发起网络查控”。"
    assert page.get_by_test_id("node-state-network_inquiry").inner_text() == "已完成"
    assert NOTE in page.get_by_test_id("node-network_inquiry").inner_text()
    node = NodeInstance.objects.get(case=case, key="network_inquiry")
    assert (node.status, node.completed_by.username, node.evidence_note) == ("done", "ls_jingzhi1", NOTE)
