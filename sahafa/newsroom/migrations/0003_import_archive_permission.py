"""Give «استيراد أرشيف» to the editor-in-chief's and the administrator's groups of a
newsroom created before the permission existed (new ones get it from 0002)."""

from django.db import migrations


def grant(apps, schema_editor):
    from sahafa.newsroom.roles import ADMINISTRATOR, EDITOR_IN_CHIEF, IMPORT_ARCHIVE, permission

    RoleGroup = apps.get_model("newsroom", "RoleGroup")
    perm = permission(apps, *IMPORT_ARCHIVE)
    for link in RoleGroup.objects.filter(
        role__in=[EDITOR_IN_CHIEF, ADMINISTRATOR], section__isnull=True
    ).select_related("group"):
        link.group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0002_newsroom_roles"), ("ingest", "0001_import_job")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
