"""The publish event that the rest of Sahafa subscribes to.

``content_changed`` is sent after any change a reader could see: an article
published, edited, unpublished, moved or deleted (``article_ids``), or the ticker,
the masthead or a section changed (``article_ids`` empty). Receivers read the current
state from the database (``ArticlePage.objects.published()``), so the event carries
ids only and can be sent twice without harm. ``search``, ``related`` and ``delivery``
subscribe to it; ``news`` never imports them.
"""

from django.dispatch import Signal

content_changed = Signal()  # kwargs: article_ids: list[int], kind: str
