"""
The node catalogue shipped with the code (``catalogue.json``): the legal nodes of DOMAIN.md with their basis.

``catalogue_sync`` brings the ``NodeType`` table in line with the file: a node not yet in the table is
added as version 1; a node whose rule changed (period, unit, anchor, evidence, basis …) gets a new
version and the old one stops being current — node instances keep the version they were created with.
It takes the model class so that data migrations can call it with their historical model.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

CATALOGUE_FILE = Path(__file__).resolve().parent / "catalogue.json"
_RULE_FIELDS = (
    "name",
    "phase",
    "completed_by",
    "evidence",
    "evidence_documents",
    "anchor",
    "amount",
    "unit",
    "urgent_amount",
    "warn_days",
    "is_statutory",
    "legal_basis",
    "effective_from",
    "basis_note",
    "sort_order",
)


@cache
def catalogue_entries() -> tuple[dict[str, Any], ...]:
    """Return the entries of ``catalogue.json``, each with every rule field (defaults filled in)."""
    raw = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["nodes"]
    entries = []
    for item in raw:
        entry = {"evidence_documents": [], "urgent_amount": None, "basis_note": "", "sort_order": 100, **item}
        entry["effective_from"] = date.fromisoformat(entry["effective_from"])
        entries.append(entry)
    return tuple(entries)


def catalogue_sync(node_type_model: Any) -> int:
    """Bring ``node_type_model``'s table in line with the file; return how many versions were written."""
    written = 0
    for entry in catalogue_entries():
        current = node_type_model.objects.filter(code=entry["code"], is_current=True).first()
        wanted = {field: entry[field] for field in _RULE_FIELDS}
        if current is not None and all(getattr(current, f) == v for f, v in wanted.items()):
            continue
        version = 1
        if current is not None:
            version = current.version + 1
            current.is_current = False
            current.save(update_fields=["is_current"])
        node_type_model.objects.create(code=entry["code"], version=version, is_current=True, **wanted)
        written += 1
    return written
