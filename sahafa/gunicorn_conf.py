"""gunicorn settings for ``sahafa serve``."""

import os

accesslog = os.environ.get("SAHAFA_ACCESS_LOG") or None
errorlog = "-"
timeout = 60
graceful_timeout = 20
keepalive = 5
# Threads let a worker overlap I/O waits; the page cache keeps CPU work small.
threads = int(os.environ.get("SAHAFA_THREADS", "2"))
preload_app = True
# One control socket per site home: the default (~/.gunicorn/gunicorn.ctl) is shared
# by every gunicorn on the machine, so a second server would take over the first's.
control_socket = os.path.join(
    os.path.abspath(os.environ.get("SAHAFA_HOME") or "var"), "gunicorn.ctl"
)


def when_ready(server) -> None:
    """Start Sahafa's task runner (scheduled publishing, embargoes) in the master.

    One runner per node, not per worker; several nodes are safe (it takes a lock).
    Set SAHAFA_SCHEDULER=0 when a separate ``sahafa manage run_scheduler`` runs.
    """
    from sahafa.newsroom.scheduling import start_background_scheduler

    if start_background_scheduler() is not None:
        server.log.info("sahafa scheduler started")
