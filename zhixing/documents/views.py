"""Document pages: the download, checked against the recorded hash before a byte leaves the server."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from zhixing.courts.access import staff_required
from zhixing.documents.services import DocumentTampered, document_download

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
@staff_required()
def download(request: HttpRequest, document_id: int) -> HttpResponse:
    """Send the .docx under its Chinese name; a file whose hash no longer matches is refused with 409."""
    try:
        result = document_download(
            scope=request.scope, document_id=document_id, actor=request.user, at=timezone.now()
        )
    except DocumentTampered as error:
        return render(request, "documents/integrity_failed.html", {"message": error.message}, status=error.status)
    response = HttpResponse(result.content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=result.filename)
    response["Content-Length"] = str(len(result.content))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
