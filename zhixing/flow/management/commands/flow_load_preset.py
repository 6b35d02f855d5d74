"""``manage.py flow_load_preset --court 豫0825 --preset wenxian``: load a routing-model preset for a court."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhixing.core.errors import ApplicationError
from zhixing.courts.models import Court
from zhixing.flow.presets import PRESETS
from zhixing.flow.services import routing_model_load_preset


class Command(BaseCommand):
    """Load one of the shipped presets as a court's current routing model (a new version)."""

    help = "载入预设流程模型（spc-segmented、wenxian、linshu）为某法院的现行版本"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--court", required=True, help="法院代字，如 豫0825")
        parser.add_argument("--preset", required=True, choices=PRESETS)

    def handle(self, *args, **options) -> None:
        court = Court.objects.filter(code=options["court"]).first()
        if court is None:
            raise CommandError(f"没有法院代字为“{options['court']}”的法院")
        try:
            model = routing_model_load_preset(court=court, preset=options["preset"], actor=None, at=timezone.now())
        except ApplicationError as error:
            raise CommandError(str(error)) from error
        stages = model.stages.count()
        self.stdout.write(f"{court.name}：已载入“{model.name}”第{model.version}版，{stages}个流程段。")
