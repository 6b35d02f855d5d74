"""Reads of bulk imports: a batch and the recent batches of the court in scope."""

from __future__ import annotations

from django.db.models import QuerySet

from zhixing.cases.models import ImportBatch
from zhixing.courts.access import CourtScope, scoped, scoped_get


def import_batch_get(*, scope: CourtScope, batch_id: int) -> ImportBatch:
    """
    Return the import batch ``batch_id`` of a court ``scope`` may read.

    :raises Http404: when it does not exist or lies outside the scope
    """
    return scoped_get(ImportBatch.objects.select_related("uploaded_by"), scope=scope, pk=batch_id)


def import_batch_list(*, scope: CourtScope, limit: int = 20) -> QuerySet[ImportBatch]:
    """Return the latest import batches of the scope's current court (newest first)."""
    court_id = scope.court.pk if scope.court is not None else None
    return scoped(ImportBatch.objects.filter(court_id=court_id), scope=scope).select_related("uploaded_by")[:limit]
