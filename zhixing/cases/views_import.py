"""The bulk import page (``/cases/import/``): template, upload, result and the error report."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from zhixing.cases import selectors, services
from zhixing.cases.choices import ImportStatus
from zhixing.cases.import_template import (
    MAX_ROWS,
    ImportFileRefused,
    column_label,
    docket_read,
    error_report,
    template_workbook,
)
from zhixing.courts.access import staff_required
from zhixing.courts.rules import Capability

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _page(request: HttpRequest, *, message: str = "", status: int = 200) -> HttpResponse:
    context = {
        "batches": selectors.import_batch_list(scope=request.scope),
        "message": message,
        "max_rows": MAX_ROWS,
    }
    return render(request, "cases/import/page.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required(Capability.FILE_CASES)
def import_page(request: HttpRequest) -> HttpResponse:
    """GET: the template link, the upload form and the court's recent imports. POST: import a file."""
    if request.method != "POST":
        return _page(request)
    court = request.scope.court
    if not request.scope.may_write(court.pk):
        raise PermissionDenied("您对该法院的数据只有查看权限。")
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, message="请选择要导入的Excel文件（.xlsx）。", status=400)
    content = upload.read()
    file_hash = hashlib.new("sm3", content).hexdigest()
    at = timezone.now()
    try:
        if not upload.name.lower().endswith(".xlsx"):
            raise ImportFileRefused("只接受Excel工作簿（.xlsx）文件，请使用下载的模板填写。")
        parsed = docket_read(content=content)
        batch = services.cases_import(
            court=court,
            inputs=parsed.inputs,
            rows=parsed.rows,
            parse_problems=parsed.problems,
            actor=request.user,
            at=at,
            source_name=upload.name,
            file_hash=file_hash,
        )
    except ImportFileRefused as error:
        batch = services.cases_import(
            court=court,
            inputs=(),
            parse_problems=[services.ImportProblem(0, "file", error.message)],
            actor=request.user,
            at=at,
            source_name=upload.name,
            file_hash=file_hash,
        )
    return redirect("cases:import_result", batch_id=batch.pk)


@require_GET
@staff_required(Capability.FILE_CASES)
def import_result(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Show the outcome of one import: how many cases, or every error with its row and column."""
    batch = selectors.import_batch_get(scope=request.scope, batch_id=batch_id)
    errors = [{**error, "column": column_label(error["field"])} for error in batch.errors[:500]]
    context = {
        "batch": batch,
        "errors": errors,
        "more": max(len(batch.errors) - 500, 0),
        "imported": ImportStatus.IMPORTED,
    }
    return render(request, "cases/import/result.html", context)


@require_GET
@staff_required(Capability.FILE_CASES)
def import_template_download(request: HttpRequest) -> HttpResponse:
    """Send the empty template."""
    return _xlsx(template_workbook(), "执行案件批量导入模板.xlsx")


@require_GET
@staff_required(Capability.FILE_CASES)
def import_error_report(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Send the error report of a refused import (.xlsx naming row and column of every problem)."""
    batch = selectors.import_batch_get(scope=request.scope, batch_id=batch_id)
    return _xlsx(error_report(errors=batch.errors, file_name=batch.file_name), f"导入错误报告-{batch.pk}.xlsx")
