"""The bureau chief in Chromium: the routing model drawn by ECharts, then the week's battle chart."""

from __future__ import annotations

import pytest

from zhixing.courts.demo import DEMO_PASSWORD

# The flow app's fixtures: the demo court system, its people, and a preset loader.
from zhixing.flow.tests.conftest import demo, load_preset, staff  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_chief_sees_the_model_diagram_and_the_battle_chart(page, log_in, load_preset):  # noqa: F811
    load_preset("鲁1329", "linshu")
    log_in("ls_juzhang", DEMO_PASSWORD)

    page.goto("/flow/model/")
    page.locator("#model-diagram canvas").first.wait_for()

    assert page.locator("[data-testid=model-court]").inner_text() == "临沭县人民法院"
    stages = page.locator("[data-testid=model-stages] tbody").inner_text()
    for name in ("速执", "流程程序", "精执", "上提团队长", "上提执行局局长", "上提分管副院长", "扎口结案", "终本维护"):
        assert name in stages
    box = page.locator("#model-diagram canvas").first.bounding_box()
    assert box["width"] > 300
    assert box["height"] > 300
    assert page.get_by_test_id("model-edit-link").is_visible()

    page.goto("/flow/board/")
    page.locator("#board-chart canvas").first.wait_for()

    assert "精执一团队" in page.locator("main").inner_text()
    assert page.get_by_test_id("board-target-form").is_visible()
