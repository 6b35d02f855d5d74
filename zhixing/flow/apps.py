from django.apps import AppConfig


class FlowConfig(AppConfig):
    """Routing models, nodes with legal deadlines, the execution-period clock, the sweep, alerts and points."""

    name = "zhixing.flow"
    label = "flow"
    verbose_name = "流程管控"

    def ready(self) -> None:
        from zhixing.flow import registrations

        registrations.register()
