"""What Sahafa keeps under SAHAFA_HOME is not readable by other local users.

The database holds sessions, password hashes and two-factor secrets; uploads may be
embargoed pictures. Run through the real command with the permissive umask a shell
usually has, and with a home an older install left open.
"""

import os
import stat

import pytest

from tests.conftest import run_sahafa

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

WRITE_EVERYTHING = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE secrets (hash TEXT)")
    cursor.execute("INSERT INTO secrets VALUES ('pbkdf2$...')")
    import pathlib, shutil
    from django.conf import settings
    # The WAL and SHM files exist while a connection is open: copy their modes out.
    for suffix in ("-wal", "-shm"):
        wal = pathlib.Path(str(settings.DATABASES["default"]["NAME"]) + suffix)
        if wal.exists():
            (settings.HOME / ("mode" + suffix)).write_text(oct(wal.stat().st_mode))
default_storage.save("original_images/photo.jpg", ContentFile(b"jpeg"))
"""


def run_in_home(home) -> None:
    # The shell's usual umask; SQLite whatever the tests run on.
    result = run_sahafa(
        "manage", "shell", "-c", WRITE_EVERYTHING, home=home, umask=0o022, SAHAFA_DATABASE_URL=""
    )
    assert result.returncode == 0, result.stderr


def others_can(path) -> int:
    return stat.S_IMODE(path.stat().st_mode) & 0o007


def test_nothing_in_a_new_home_is_open_to_other_users(tmp_path):
    home = tmp_path / "home"
    run_in_home(home)
    made = list(home.rglob("*"))
    assert home / "sahafa.sqlite3" in made
    assert (home / "media" / "original_images" / "photo.jpg").exists()
    assert others_can(home) == 0
    opened = {p.relative_to(home).as_posix(): oct(others_can(p)) for p in made if others_can(p)}
    assert opened == {}
    for suffix in ("-wal", "-shm"):
        mode = home / f"mode{suffix}"
        if mode.exists():
            assert int(mode.read_text(), 8) & 0o007 == 0, suffix
    if (home / "secret_key").exists():  # unless SAHAFA_SECRET_KEY is set
        assert stat.S_IMODE((home / "secret_key").stat().st_mode) == 0o600


def test_a_home_left_open_by_an_older_install_is_closed(tmp_path):
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    (home / "sahafa.sqlite3").touch()
    (home / "sahafa.sqlite3").chmod(0o644)
    run_in_home(home)
    assert others_can(home) == 0
