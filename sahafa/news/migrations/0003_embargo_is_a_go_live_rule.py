"""One clock: a live article under an embargo that has not passed is unpublished
and scheduled to go live when the embargo ends, through Wagtail's scheduling (its
latest revision approved for that time), so it appears then with a publish log
entry and its first-published date."""

from django.db import migrations, models
from django.utils import timezone


def schedule_embargoed(apps, schema_editor):
    ArticlePage = apps.get_model("news", "ArticlePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    now = timezone.now()
    for article in ArticlePage.objects.filter(live=True, embargo_until__gt=now):
        revision_id = article.latest_revision_id or article.live_revision_id
        ArticlePage.objects.filter(pk=article.pk).update(
            live=False,
            has_unpublished_changes=True,
            go_live_at=article.embargo_until,
            first_published_at=None,
            last_published_at=None,
            live_revision=None,
        )
        revision = Revision.objects.filter(pk=revision_id).first()
        if revision is not None:
            # The revision is what goes live: it carries the dates Wagtail restores.
            content = dict(revision.content)
            content.update(
                go_live_at=article.embargo_until.isoformat(),
                first_published_at=None,
                last_published_at=None,
            )
            revision.content = content
            revision.approved_go_live_at = article.embargo_until
            revision.save(update_fields=["content", "approved_go_live_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_ingest_fingerprint"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="articlepage",
            name="embargo_until",
            field=models.DateTimeField(
                blank=True,
                help_text="لا يُنشر المقال قبل هذا الوقت: لنشره حدّد «موعد النشر» في تبويب النشر عنده أو بعده.",
                null=True,
                verbose_name="محظور النشر حتى",
            ),
        ),
        migrations.RunPython(schedule_embargoed, migrations.RunPython.noop),
    ]
