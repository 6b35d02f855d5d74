"""
The routing-model presets shipped as files.

``spc-segmented`` (seed 001), ``wenxian`` (seed 002) and ``linshu`` (seed 004). A preset names team
*kinds* for its pools; loading it for a court resolves them to that court's active teams of those kinds
(``services.routing_model_load_preset``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

PRESET_DIR = Path(__file__).resolve().parent
PRESETS = ("spc-segmented", "wenxian", "linshu")


@cache
def preset_data(code: str) -> dict[str, Any]:
    """Return the parsed preset ``code`` (one of ``PRESETS``)."""
    if code not in PRESETS:
        raise KeyError(f"没有名为“{code}”的预设流程模型（可用：{'、'.join(PRESETS)}）")
    return json.loads((PRESET_DIR / f"{code}.json").read_text(encoding="utf-8"))
