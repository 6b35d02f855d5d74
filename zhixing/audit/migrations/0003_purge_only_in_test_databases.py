"""
Honour the purge switch only in a test database.

The session setting ``zhixing.audit_purge`` could be set by anyone who can run SQL as the application
role; from now on it opens the table only when the database's name starts with ``test_`` (the name the
test runner gives the databases it creates and destroys). A production database refuses every UPDATE,
DELETE and TRUNCATE of audit records whatever the session says.
"""

from django.db import migrations

MESSAGE = "审计记录只能追加，不能修改或删除"

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION audit_record_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('zhixing.audit_purge', true), '') = 'on'
       AND current_database() LIKE 'test\\_%' THEN
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
"""

POSTGRESQL_BACKWARD = f"""
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
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(forward, backward)]
