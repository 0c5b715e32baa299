"""Arabic search: one interface, a SQLite FTS5 backend and a PostgreSQL backend.

* :mod:`.query` — pure query building: parse ``"phrases"`` and ``-exclusions``,
  analyse words with the toolkit's pipeline (:func:`.query.index_terms`), build a
  safe FTS5 MATCH string or tsquery literal.
* :mod:`.ranking` — pure re-scoring of the best hits by headline coverage/order.
* :mod:`.highlight` — pure ``<mark>`` highlighting of the ORIGINAL text.
* :mod:`.backends` — ``SAHAFA_SEARCH_BACKENDS`` loader; ``auto`` picks ``sqlite`` or
  ``postgres`` by the database ENGINE; ``dummy`` keeps documents in memory.
* :mod:`.indexing` — ``index_articles(ids)``, ``remove_articles(ids)``, ``rebuild()``.
* :mod:`.signal_handlers` — keeps the index current inside each publish/unpublish/
  move/delete transaction and each import batch; ``content_changed`` as an
  after-commit safety net, and to re-index the articles of a renamed author, tag
  or section (:mod:`.tasks` in the background when they are many).
* :mod:`.results` / :mod:`.views` — ``/search/`` and ``/search.json``.
"""
