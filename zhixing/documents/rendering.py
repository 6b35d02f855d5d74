"""
Rendering a .docx template with docxtpl, and writing .docx bytes reproducibly. No database, no clock.

A .docx is a zip; zip entries carry a modification time, so two renderings of the same context would
differ in bytes and hash. ``normalized_zip`` rewrites the archive with a fixed entry time, so the bytes
(and the SM3 hash recorded for them) depend only on the content.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from docxtpl import DocxTemplate

_ZIP_EPOCH: Final = (1980, 1, 1, 0, 0, 0)


def normalized_zip(data: bytes) -> bytes:
    """Return the zip archive ``data`` rewritten with every entry dated 1980-01-01, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def docx_render(*, template_path: Path, context: Mapping[str, Any]) -> bytes:
    """Return the .docx at ``template_path`` rendered with ``context`` (XML special characters escaped)."""
    template = DocxTemplate(template_path)
    template.render(dict(context), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return normalized_zip(out.getvalue())
