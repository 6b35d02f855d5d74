"""
The append-only audit log: one hash chain per court.

Only ``zhixing.audit`` imports this module; everyone else writes through ``zhixing.audit.record``.
A record holds plain ids and label snapshots, never foreign keys into domain apps, so that the audit
app depends on nothing and a record outlives whatever it describes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """
    One act: who did what to which object, with the values before and after, and when.

    ``chain`` is the court's id (0 for acts outside any court); ``seq`` numbers the chain from 1.
    ``hash`` is SM3 over ``prev_hash`` and the record's content; UPDATE, DELETE and TRUNCATE are
    refused by database triggers.
    """

    chain = models.BigIntegerField(_("链"))
    seq = models.BigIntegerField(_("序号"))
    at = models.DateTimeField(_("时间"))
    court_id = models.BigIntegerField(_("法院"), null=True, blank=True)
    case_id = models.BigIntegerField(_("案件"), null=True, blank=True)
    actor_id = models.BigIntegerField(_("操作人"), null=True, blank=True)
    actor_label = models.CharField(_("操作人"), max_length=64, blank=True)
    action = models.CharField(_("行为"), max_length=64)
    subject_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    subject_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    subject_label = models.CharField(_("对象"), max_length=200, blank=True)
    data = models.TextField(_("内容"), blank=True)
    prev_hash = models.CharField(_("前一记录哈希"), max_length=64)
    hash = models.CharField(_("本记录哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_record_chain_seq_unique")]
        indexes = [
            models.Index(fields=["court_id", "at"], name="audit_court_at_idx"),
            models.Index(fields=["case_id", "at"], name="audit_case_at_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx"),
            models.Index(fields=["actor_id", "at"], name="audit_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.chain}.{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """The last record of a chain; its row is locked by every writer of the chain."""

    chain = models.BigIntegerField(_("链"), primary_key=True)
    seq = models.BigIntegerField(_("最后序号"), default=0)
    hash = models.CharField(_("最后哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"chain {self.chain} @ {self.seq}"
