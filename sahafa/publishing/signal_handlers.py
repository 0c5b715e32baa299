"""One step deep: ``content_changed`` → one task row, in the writing transaction."""

from __future__ import annotations

from sahafa.news.signals import ChangeKind, content_changed


def on_content_changed(sender, article_ids=(), kind=ChangeKind.ARTICLE, **kwargs) -> None:
    from .tasks import follow_change

    # The task row is written by the caller's transaction (the durable backend uses the
    # default connection): it commits with the change or not at all.
    follow_change.enqueue(
        [int(pk) for pk in article_ids], str(ChangeKind(kind)), sender._meta.label_lower
    )


def connect() -> None:
    content_changed.connect(on_content_changed, dispatch_uid="sahafa.publishing.follow")
