"""sahafa.arabic must stay a pure-Python core: importing it loads no Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_loads_no_django():
    code = (
        "import sys, sahafa.arabic\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')\n"
        "             or m == 'wagtail' or m.startswith('wagtail.'))\n"
        "others = sorted(m for m in sys.modules if m.startswith('sahafa.')\n"
        "                and not m.startswith('sahafa.arabic'))\n"
        "print(bad, others)\n"
        "sys.exit(1 if bad or others else 0)\n"
    )
    env_free = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert env_free.returncode == 0, env_free.stdout + env_free.stderr
