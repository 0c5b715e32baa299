"""Give the editor-in-chief's group of an existing newsroom Wagtail's redirects (new
ones get them from ``roles.ensure_role_group``): the archive they import answers at
its old addresses through them."""

from django.db import migrations


def grant(apps, schema_editor):
    from sahafa.newsroom.roles import EDITOR_IN_CHIEF, REDIRECTS, permission

    RoleGroup = apps.get_model("newsroom", "RoleGroup")
    perms = [permission(apps, *spec) for spec in REDIRECTS]
    for link in RoleGroup.objects.filter(
        role=EDITOR_IN_CHIEF, section__isnull=True
    ).select_related("group"):
        link.group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0003_import_archive_permission"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
