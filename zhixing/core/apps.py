from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks with no domain models."""

    name = "zhixing.core"
    label = "core"
    verbose_name = "核心"
