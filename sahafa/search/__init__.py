"""Arabic search: one interface, a SQLite FTS5 backend and a PostgreSQL backend.

* :mod:`.query` — pure query building: parse ``"phrases"`` and ``-exclusions``,
  analyse words with the toolkit's pipeline (:func:`.query.index_terms`), build a
  safe FTS5 MATCH string or tsquery literal.
* :mod:`.ranking` — pure re-scoring of the best hits by headline coverage/order.
* :mod:`.highlight` — pure ``<mark>`` highlighting of the ORIGINAL text.
* :mod:`.backends` — ``SAHAFA_SEARCH_BACKENDS`` loader; ``auto`` picks ``sqlite`` or
  ``postgres`` by the database ENGINE; ``dummy`` keeps documents in memory.
* :mod:`.indexing` — ``index_articles(ids)``, ``remove_articles(ids)``, ``rebuild()``.
  The index is kept current by the one task of :mod:`sahafa.publishing`, which
  calls ``index_articles`` for every change; nothing here listens to a signal.
* :mod:`.results` / :mod:`.views` — ``/search/`` and ``/search.json``.
"""
