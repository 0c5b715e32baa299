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
# No control socket: gunicorn runs it on a thread of the master, which then forks
# replacement workers with that thread alive (see below). ``sahafa serve`` supervises
# gunicorn itself; signals (HUP, TTIN, TTOU) still reach the master.
control_socket_disable = True

# preload_app: the master imports Sahafa once and forks the workers. Nothing may start
# a thread before that fork (a child would inherit locks held by a thread it does not
# have: SQLite's allocator mutex, logging's lock), so the durable worker and the
# scheduled publishing run in a process of their own (``sahafa worker``), which
# ``sahafa serve`` starts beside gunicorn.
