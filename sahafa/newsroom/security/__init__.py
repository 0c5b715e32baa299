"""The newsroom's security layer: login throttling, two-factor sign-in for senior
roles, upload checks, the embargo guard and the admin hooks. (Sanitising what readers
see is news' own: :mod:`sahafa.news.sanitize`.)

``connect()`` is called from ``NewsroomConfig.ready()``; nothing is wired at import.
"""


def connect() -> None:
    from . import admin_hooks, signal_handlers

    signal_handlers.connect()
    admin_hooks.register()
