"""
Every audited action, by code (``app.entity.verb``), with its label in Chinese.

One registry so that actions can be listed, filtered and translated; ``record`` refuses a code that
is not declared here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, str] = {
    # courts
    "courts.court.created": _("新建法院"),
    "courts.court.changed": _("修改法院信息"),
    "courts.department.created": _("新建部门"),
    "courts.department.changed": _("修改部门"),
    "courts.team_kind.changed": _("修改团队类型"),
    "courts.team_kind.created": _("新建团队类型"),
    "courts.team.created": _("新建团队"),
    "courts.team.changed": _("修改团队"),
    "courts.user.created": _("新建用户"),
    "courts.user.changed": _("修改用户"),
    "courts.membership.granted": _("授予角色"),
    "courts.membership.ended": _("终止角色"),
    "courts.login.succeeded": _("登录成功"),
    "courts.login.failed": _("登录失败"),
    "courts.login.locked_out": _("登录被锁定"),
    "courts.api_token.issued": _("签发接口令牌"),
    # calendar
    "courts.calendar.year_seeded": _("导入年度节假日"),
    "courts.calendar.year_entered": _("录入年度节假日"),
    "courts.calendar.year_confirmed": _("确认年度节假日生效"),
    "courts.calendar.day_set": _("设置节假日/调休日"),
    "courts.calendar.day_removed": _("撤销节假日/调休日"),
    "courts.calendar.dates_recomputed": _("按新节假日重算期限"),
    # cases
    "cases.case.created": _("立案（新建执行案件）"),
    "cases.case.status_changed": _("变更案件状态"),
    "cases.party.created": _("登记当事人"),
    "cases.party.identity_revealed": _("查看当事人完整身份证号"),
    "cases.list.exported": _("导出案件列表"),
    "cases.case.filed": _("立案登记（保全、时效事由、暂缓立案）"),
    "cases.case.updated": _("修改案件信息"),
    "cases.case.assigned": _("分案（指定承办团队和承办人）"),
    "cases.import.imported": _("批量导入案件"),
    "cases.import.refused": _("批量导入案件被拒绝（有错误）"),
    "cases.triage.decided": _("繁简分流（按规则）"),
    "cases.triage.overridden": _("人工调整繁简分流"),
    "cases.triage_rules.changed": _("设置繁简分流规则"),
    "cases.case.document_generated": _("为案件生成文书"),
    # flow
    "flow.model.loaded": _("载入预设流程模型"),
    "flow.model.saved": _("修改流程模型（新版本）"),
    "flow.node_setting.changed": _("设置本院节点期限"),
    "flow.case.entered": _("案件进入流程"),
    "flow.case.advanced": _("案件移送下一流程段"),
    "flow.case.assigned": _("指定流程段承办人"),
    "flow.case.timed_out": _("流程段期满，自动流转"),
    "flow.stage.overdue": _("流程段期满且无后续流转"),
    "flow.anchor.recorded": _("登记节点起算事件"),
    "flow.node.completed": _("完成流程节点"),
    "flow.period.recomputed": _("按扣除期间重算执行期限"),
    "flow.period.extended": _("批准延长执行期限"),
    "flow.sweep.marked": _("节点巡检：预警、超期标记"),
    "flow.ledger.entered": _("列入超六个月未执结台帐"),
    "flow.ledger.reviewed": _("台帐评查、报备"),
    "flow.ledger.exported": _("导出超六个月未执结台帐"),
    "flow.weekly_target.set": _("设定每周结案目标"),
    "flow.dates.recomputed": _("按新节假日重算临时期限"),
    # audit
    "audit.chain.verified": _("校验审计链"),
    # documents
    "documents.document.generated": _("生成法律文书"),
    "documents.document.downloaded": _("下载法律文书"),
    "documents.document.tamper_detected": _("发现文书存档被篡改"),
    # core: approvals and alerts
    "core.approval.requested": _("提出审批申请"),
    "core.approval.decided": _("审批（同意或不同意）"),
    "core.approval.approved": _("审批通过"),
    "core.approval.rejected": _("审批未通过"),
    "core.approval.withdrawn": _("撤回审批申请"),
    "core.alert.resolved": _("消除提醒"),
    # demo
    "core.demo.seeded": _("载入演示数据"),
}


def action_label(code: str) -> str:
    """Return the Chinese label of an action code (the code itself when unknown)."""
    return str(ACTIONS.get(code, code))
