"""Load the node catalogue shipped in ``zhixing/flow/catalogue.json`` (the legal nodes, version 1)."""

from django.db import migrations


def load(apps, schema_editor):
    from zhixing.flow.catalogue import catalogue_sync

    catalogue_sync(apps.get_model("flow", "NodeType"))


class Migration(migrations.Migration):
    dependencies = [("flow", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
