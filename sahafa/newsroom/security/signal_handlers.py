"""Count failed sign-ins (the login throttle).

Sanitising reader-facing text on save is news' own (:mod:`sahafa.news.sanitize`).
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed

from . import throttle


def connect() -> None:
    user_login_failed.connect(throttle.record_failure, dispatch_uid="sahafa.newsroom.login_failed")
    user_logged_in.connect(throttle.record_success, dispatch_uid="sahafa.newsroom.logged_in")
