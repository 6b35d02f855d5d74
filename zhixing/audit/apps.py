from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, hash-chained record of every act."""

    name = "zhixing.audit"
    label = "audit"
    verbose_name = "审计留痕"
