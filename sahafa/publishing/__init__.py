"""The top floor of Sahafa: one change, one durable task, a fixed order.

``news`` sends ``content_changed`` inside the transaction that wrote the change;
:mod:`.signal_handlers` turns it into one :func:`.tasks.follow_change` task row in
that same transaction. The worker (:mod:`.worker`, ``sahafa worker``) runs it after
commit: search index → related topics → one purge of the cached pages. ``search``,
``related`` and ``delivery`` listen to nothing; only this app calls them.
"""
