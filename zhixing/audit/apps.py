from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, hash-chained record of every act."""

    name = "zhixing.audit"
    label = "audit"
    verbose_name = "审计留痕"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from zhixing.audit.database import sqlite_functions_register

        # Database plumbing, not domain logic: the SQLite triggers need this function on every connection.
        connection_created.connect(sqlite_functions_register, dispatch_uid="zhixing.audit.sqlite_functions")
