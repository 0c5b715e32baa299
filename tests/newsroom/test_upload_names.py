"""Upload file names: the storage sanitises them (no database)."""

import pytest

from sahafa.newsroom.security.storage import safe_file_name


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("photo.php.jpg", "photo_php.jpg"),
        ("صورة الوزير.JPG", "صورة_الوزير.jpg"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        (".htaccess", "htaccess"),
        ("C:\\Users\\x\\evil.png", "evil.png"),
        ("<script>.png", "script.png"),
    ],
)
def test_upload_file_names_are_sanitised(name, expected):
    assert safe_file_name(name) == expected
