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
