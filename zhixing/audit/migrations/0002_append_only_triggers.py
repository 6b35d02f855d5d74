"""
Make the audit table append-only in the database itself.

PostgreSQL: row triggers refuse UPDATE and DELETE, a statement trigger refuses TRUNCATE, unless the
session sets ``zhixing.audit_purge = 'on'`` (only the test settings do, so that the test runner can
flush). SQLite: BEFORE UPDATE/DELETE triggers abort unless ``zhixing_audit_purge_allowed()`` returns 1;
that function is registered on every connection by ``zhixing.audit.database`` and returns 1 only when
``settings.ZHIXING_AUDIT_PURGE_ALLOWED`` is true. An unregistered function fails the statement: closed
by default. The chain head table stays updatable (the writers move it).
"""

from django.db import migrations

MESSAGE = "审计记录只能追加，不能修改或删除"

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION audit_record_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('zhixing.audit_purge', true), '') = 'on' THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            RETURN NULL;
        ELSIF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE}（%）', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER audit_record_append_only
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_record_refuse_change();
CREATE TRIGGER audit_record_no_truncate
    BEFORE TRUNCATE ON audit_auditrecord
    FOR EACH STATEMENT EXECUTE FUNCTION audit_record_refuse_change();
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS audit_record_no_truncate ON audit_auditrecord;
DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_record_refuse_change();
"""

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_auditrecord
    WHEN zhixing_audit_purge_allowed() IS NOT 1
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_auditrecord
    WHEN zhixing_audit_purge_allowed() IS NOT 1
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_record_no_update",
    "DROP TRIGGER IF EXISTS audit_record_no_delete",
]


def _run(schema_editor, *, postgresql, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql, params=None)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement, params=None)
    else:  # pragma: no cover - the project supports these two databases only
        raise RuntimeError(f"no append-only triggers for database vendor {vendor!r}: use PostgreSQL or SQLite")


def forward(apps, schema_editor):
    _run(schema_editor, postgresql=POSTGRESQL_FORWARD, sqlite=SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, postgresql=POSTGRESQL_BACKWARD, sqlite=SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
