"""``manage.py seed_demo_flow``: give each demo basic court its routing model (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhixing.courts.models import Court
from zhixing.flow.selectors import routing_model_current
from zhixing.flow.services import routing_model_load_preset

#: The demo courts and the preset each runs (DESIGN.md: 温县 wenxian, 临沭 linshu, 武陟 spc-segmented).
DEMO_MODELS = {"豫0825": "wenxian", "鲁1329": "linshu", "豫0823": "spc-segmented"}


class Command(BaseCommand):
    """Load the demo courts' presets; a court that already has a model is left alone."""

    help = "为演示法院载入流程模型：温县 wenxian、临沭 linshu、武陟 spc-segmented（已有模型的法院跳过）"

    def handle(self, *args, **options) -> None:
        at = timezone.now()
        for code, preset in DEMO_MODELS.items():
            court = Court.objects.filter(code=code).first()
            if court is None or routing_model_current(court_id=court.pk) is not None:
                continue
            model = routing_model_load_preset(court=court, preset=preset, actor=None, at=at)
            self.stdout.write(f"{court.name}：载入流程模型“{model.name}”。")
