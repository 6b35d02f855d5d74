"""Generated documents, always read through the person's court scope."""

from __future__ import annotations

from django.db.models import QuerySet

from zhixing.courts.access import CourtScope, scoped, scoped_get
from zhixing.documents.models import GeneratedDocument


def document_list(*, scope: CourtScope, case_id: int) -> QuerySet[GeneratedDocument]:
    """Return the documents generated for case ``case_id`` that ``scope`` may read, newest first."""
    return (
        scoped(GeneratedDocument.objects.filter(case_id=case_id), scope=scope)
        .select_related("generated_by")
        .order_by("-generated_at", "-id")
    )


def document_get(*, scope: CourtScope, document_id: int) -> GeneratedDocument:
    """
    Return document ``document_id`` if ``scope`` may read it.

    :raises Http404: when it does not exist or belongs to a court outside the scope
    """
    return scoped_get(GeneratedDocument.objects.select_related("court"), scope=scope, pk=document_id)
