"""The workbench navigation: each entry names the capability that shows it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from zhixing.courts.access import CourtScope
from zhixing.courts.rules import Capability


@dataclass(frozen=True, slots=True)
class NavItem:
    """One link of the navigation bar."""

    label: str
    url_name: str
    capability: Capability | None = None


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(pgettext_lazy("navigation", "工作台"), "home"),
    NavItem(pgettext_lazy("navigation", "今日待办"), "flow:today", Capability.EXECUTE_CASES),
    NavItem(pgettext_lazy("navigation", "提醒"), "flow:inbox", Capability.VIEW_COURT),
    NavItem(pgettext_lazy("navigation", "审批"), "flow:approvals", Capability.VIEW_COURT),
    NavItem(pgettext_lazy("navigation", "案件"), "cases:case_list", Capability.VIEW_COURT),
    NavItem(pgettext_lazy("navigation", "我的案件"), "cases:my_cases", Capability.EXECUTE_CASES),
    NavItem(pgettext_lazy("navigation", "立案"), "cases:case_file", Capability.FILE_CASES),
    NavItem(pgettext_lazy("navigation", "批量导入"), "cases:import", Capability.FILE_CASES),
    NavItem(pgettext_lazy("navigation", "分流规则"), "cases:triage_rules", Capability.APPROVE),
    NavItem(pgettext_lazy("navigation", "挂图作战"), "flow:board", Capability.VIEW_COURT),
    NavItem(pgettext_lazy("navigation", "超期台帐"), "flow:ledger", Capability.VIEW_COURT),
    NavItem(pgettext_lazy("navigation", "流程模型"), "flow:model", Capability.VIEW_COURT),
    NavItem(pgettext_lazy("navigation", "法院与团队"), "courts:court_list", Capability.VIEW_COURT),
    NavItem(pgettext_lazy("navigation", "工作日历"), "courts:calendar", Capability.VIEW_COURT),
    NavItem(pgettext_lazy("navigation", "审计日志"), "audit:record_list", Capability.VIEW_AUDIT),
    NavItem(pgettext_lazy("navigation", "接口文档"), "api-docs", Capability.VIEW_COURT),
)


def navigation_for(*, scope: CourtScope, path: str) -> list[dict[str, object]]:
    """Return the navigation entries ``scope`` may see, marking the one ``path`` is under."""
    items = [
        {"label": item.label, "url": reverse(item.url_name), "active": False}
        for item in NAVIGATION
        if item.capability is None or scope.can(item.capability)
    ]
    # The entry with the longest URL that prefixes the path is the current one (/courts/calendar/
    # belongs to the calendar, not to /courts/).
    matching = [i for i in items if (path == i["url"] if i["url"] == "/" else path.startswith(i["url"]))]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return items
