"""Uploads through the admin: only real images and documents of allowed types and
sizes; decompression bombs refused; file names sanitised; Arabic errors."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("chief", "c@example.com", "pass-12345678")
    )
    return client


def png_bytes(width=32, height=24, noise=False) -> bytes:
    image = (
        PILImage.effect_noise((width, height), 90).convert("RGB")
        if noise
        else PILImage.new("RGB", (width, height), "teal")
    )
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def bomb_png(width=60_000, height=60_000) -> bytes:
    """A few hundred bytes that claim 3.6 billion pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload_image(client, name: str, content: bytes, content_type="image/png"):
    from wagtail.models import Collection

    return client.post(
        "/admin/images/add/",
        {
            "title": "صورة",
            "file": SimpleUploadedFile(name, content, content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    "name, content, arabic_error",
    [
        ("bomb.png", bomb_png(), "عدد كبير جدًا من البكسل"),
        ("setup.jpg", b"MZ\x90\x00\x03" + b"\x00" * 2000, "ليس ملفا لصورة"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "تنسيق الصورة غير مدعوم",
        ),
        ("photo.png.html", b"<html><script>alert(1)</script></html>", "تنسيق الصورة غير مدعوم"),
        ("photo.jpg", png_bytes(), "لا يتطابق مع تنسيق الملف"),
    ],
)
def test_hostile_images_are_refused_with_an_arabic_error(admin_client, name, content, arabic_error):
    from wagtail.images.models import Image

    response = upload_image(admin_client, name, content)
    html = response.content.decode()
    assert response.status_code == 200  # the form again, with the error
    assert arabic_error in html, html[html.find("error") - 200 : html.find("error") + 400]
    assert not Image.objects.exists()


def test_image_over_the_size_limit_is_refused(admin_client, settings):
    from wagtail.images.models import Image

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2048
    response = upload_image(admin_client, "big.png", png_bytes(200, 200, noise=True))
    assert "هذا الملف كبير جدًا" in response.content.decode()
    assert not Image.objects.exists()


def test_a_real_image_is_accepted_under_a_sanitised_name(admin_client):
    from wagtail.images.models import Image

    response = upload_image(admin_client, "../../صورة\u202egnp.php.png", png_bytes())
    assert response.status_code == 302
    stored = Image.objects.get().file.name
    assert stored.startswith("original_images/") and stored.endswith(".png")
    assert ".." not in stored and ".php." not in stored and "\u202e" not in stored


def upload_document(client, name: str, content: bytes):
    from wagtail.models import Collection

    return client.post(
        "/admin/documents/add/",
        {
            "title": "وثيقة",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    "name, content, arabic_error",
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "لا يطابق امتداده"),
        ("notes.txt", b"<script>alert(1)</script>", "محتوى غير مسموح"),
        ("page.html", b"<html></html>", "نوع الملف غير مسموح"),
        ("tool.exe", b"MZ\x90\x00", "نوع الملف غير مسموح"),
    ],
)
def test_hostile_documents_are_refused(admin_client, name, content, arabic_error):
    from wagtail.documents.models import Document

    response = upload_document(admin_client, name, content)
    assert arabic_error in response.content.decode()
    assert not Document.objects.exists()


def test_document_size_limit_and_a_real_pdf(admin_client, settings):
    from wagtail.documents.models import Document

    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    refused = upload_document(admin_client, "big.pdf", b"%PDF-1.4\n" + b"0" * 5000)
    assert "هذا الملف كبير جدًا" in refused.content.decode()
    accepted = upload_document(admin_client, "تقرير\u202efdp.exe.pdf", b"%PDF-1.4\n%%EOF\n")
    assert accepted.status_code == 302
    name = Document.objects.get().file.name
    assert name.endswith(".pdf") and "\u202e" not in name and ".exe." not in name
