"""Create the four role groups, a reporter and a section-editor group per existing
section, and the «مسار الموافقة» workflow, so that a fresh ``migrate`` yields a
working newsroom. Sections created later get their groups from a post_save handler."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from sahafa.newsroom.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("news", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
