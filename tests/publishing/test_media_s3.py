"""Media on an S3-compatible store, chosen by settings alone (SAHAFA_MEDIA_BUCKET):
an image uploaded by the newsroom and its renditions land in the bucket, never on
the node's disk; the article page points readers at the bucket's address, the
public Content-Security-Policy allows it, and the files come back with a year-long
immutable Cache-Control.

The store is moto's S3 server (PyPI ``moto[server]``), started on loopback for the test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import free_port
from .test_fault_redis import get

boto3 = pytest.importorskip("boto3", reason="boto3 is installed by scripts/install.sh --test")
pytest.importorskip("moto", reason="moto[server] is installed by scripts/install.sh --test")

BUCKET = "sahafa-media"
TITLE = "افتتاح ميناء الصيد الجديد"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}
KEYS = {"AWS_ACCESS_KEY_ID": "sahafa-test", "AWS_SECRET_ACCESS_KEY": "sahafa-test-secret"}


@pytest.fixture
def store(tmp_path):
    port = free_port()
    server_bin = Path(sys.executable).parent / "moto_server"
    command = [str(server_bin)] if server_bin.exists() else [shutil.which("moto_server") or ""]
    log = open(tmp_path / "moto.log", "wb")  # noqa: SIM115 - the child owns it
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(endpoint + "/", timeout=1).close()  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.1)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **_keys())
    client.create_bucket(Bucket=BUCKET)
    # Readers fetch the files by address: the bucket lets anyone read its objects, as
    # an outlet's media bucket (or the CDN in front of it) does.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    yield endpoint, client
    process.terminate()
    process.wait(timeout=10)


def _keys() -> dict[str, str]:
    return {
        "aws_access_key_id": KEYS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": KEYS["AWS_SECRET_ACCESS_KEY"],
    }


def test_uploads_and_renditions_live_in_the_bucket_and_readers_fetch_them_there(site, store):
    endpoint, client = store
    site.env.update(
        KEYS,
        AWS_DEFAULT_REGION="us-east-1",
        SAHAFA_MEDIA_BUCKET=BUCKET,
        SAHAFA_MEDIA_ENDPOINT_URL=endpoint,
    )
    site.python(
        f"""
        import io
        from PIL import Image as PILImage
        from django.core.files.images import ImageFile
        from wagtail.images import get_image_model
        from sahafa.news.models import SectionPage
        from sahafa.news.structure import create_article
        buffer = io.BytesIO()
        PILImage.new("RGB", (1200, 800), (30, 90, 160)).save(buffer, "JPEG")
        image = get_image_model().objects.create(
            title="الميناء", file=ImageFile(buffer, name="مرفأ الصيد.php.jpg"))
        create_article(SectionPage.objects.get(slug="siyasa"), title={TITLE!r},
                       lead_image=image, lead_caption="الميناء صباح الافتتاح",
                       body=[("paragraph", "<p>افتُتح الميناء أمام قوارب الصيد.</p>")])
        """
    )
    site.sahafa("worker", "--once")  # the renditions are made here, not on a read
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    originals = [k for k in keys if k.startswith("original_images/")]
    renditions = [k for k in keys if k.startswith("images/")]
    assert len(originals) == 1 and renditions, keys
    assert ".php" not in originals[0], "the upload's name is sanitised as on disk"
    on_disk = [p for p in (site.home / "media").rglob("*") if p.is_file()]
    assert on_disk == [], on_disk

    server, base = site.serve(1)
    article = site.python(
        f"""
        from sahafa.news.models import ArticlePage
        print(ArticlePage.objects.get(title={TITLE!r}).url)
        """
    ).strip()
    status, headers, page = get(base + article)
    assert status == 200
    sources = re.findall(r'<img[^>]+src="([^"]+)"', page)
    lead = [s for s in sources if s.startswith(f"{endpoint}/{BUCKET}/images/")]
    assert lead, sources
    policy = dict(
        (d.split(" ", 1) + [""])[:2] for d in headers["Content-Security-Policy"].split("; ")
    )
    assert endpoint in policy["img-src"].split(), policy

    with urllib.request.urlopen(lead[0], timeout=10) as response:  # noqa: S310 - loopback
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("image/")
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert len(response.read()) > 500
    site.stop(server)

    # A backup says what it does not hold.
    done = site.sahafa("backup", str(site.home.parent / f"{site.home.name}-backup"))
    assert f"the media in bucket {BUCKET} are not copied" in done.stdout, done.stdout
