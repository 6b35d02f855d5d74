"""Generated documents: every .docx the system produced, with the SM3 hash of its bytes. Never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhixing.courts.models import Court


def document_path(sm3: str) -> str:
    """
    Return the storage path of a document whose bytes hash to ``sm3``: ``documents/sm3/ab/cd/abcd….docx``.

    The path is the content's address: equal bytes share one file, a file is never rewritten in place,
    and a file left behind by a rolled-back transaction is harmless (nothing points to it, and the next
    generation of the same bytes reuses it).
    """
    return f"documents/sm3/{sm3[:2]}/{sm3[2:4]}/{sm3}.docx"


class GeneratedDocument(models.Model):
    """One generated document. Regenerating makes a new row; rows and files are never changed or deleted."""

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    # A plain id until the cases app exists; it becomes a foreign key to the case then.
    case_id = models.BigIntegerField(_("案件"), null=True, blank=True)
    template_code = models.CharField(_("文书模板"), max_length=64)
    title = models.CharField(_("文书名称"), max_length=64)
    document_number = models.CharField(_("文书字号"), max_length=64, blank=True)
    addressee = models.CharField(_("送达对象"), max_length=200, blank=True)
    file = models.FileField(_("文件"), max_length=200)
    sm3 = models.CharField(_("SM3 摘要"), max_length=64)
    size = models.PositiveIntegerField(_("字节数"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    generated_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("生成的文书")
        verbose_name_plural = _("生成的文书")
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["court", "case_id", "-generated_at"], name="document_case_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="document_size_positive"),
            models.CheckConstraint(condition=Q(sm3__regex=r"^[0-9a-f]{64}$"), name="document_sm3_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.title}{self.document_number}"

    @property
    def download_name(self) -> str:
        """Return the file name offered on download: ``执行通知书（2026）豫0825执123号.docx``."""
        return f"{self.title}{self.document_number}.docx"
