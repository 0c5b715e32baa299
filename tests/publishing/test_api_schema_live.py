"""The read API against its own OpenAPI document, on a live `sahafa serve`: schemathesis
generates requests for every operation (valid ones and malformed ones) and checks that
no answer is a server error and that every answer matches the document."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

import pytest
from lxml import etree

pytestmark = pytest.mark.skipif(
    shutil.which("schemathesis", path=str(Path(sys.executable).parent)) is None,
    reason="schemathesis not installed (pip install -e '.[test]')",
)

CONTENT = """
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from sahafa.news.models import Author, SectionPage, TickerItem
from sahafa.news.structure import create_article

buffer = BytesIO()
PILImage.new("RGB", (1600, 900), (30, 90, 140)).save(buffer, "JPEG")
image = Image.objects.create(title="الميناء", file=ImageFile(buffer, name="port.jpg"))
writer = Author.objects.create(name="نادية سليم", job_title="محررة اقتصادية")
economy = SectionPage.objects.get(slug="iqtisad")
politics = SectionPage.objects.get(slug="siyasa")
create_article(
    economy,
    title="الميناء يستقبل أول سفينة حاويات بعد التوسعة",
    standfirst="رصيف جديد يضاعف قدرة الميناء.",
    body=[
        ("paragraph", "<p>رست السفينة صباح اليوم على الرصيف الجديد.</p>"),
        ("heading", "ماذا تغيّر؟"),
        ("image", {"image": image, "caption": "الرصيف الجديد", "credit": "تصوير المنبر"}),
        ("quote", {"text": "هذه بداية مرحلة جديدة.", "attribution": "مدير الميناء", "style": "inline"}),
    ],
    tags=["الموانئ", "التجارة"],
    authors=[writer],
    lead_image=image,
)
create_article(
    politics,
    title="البرلمان يناقش قانون الانتخابات",
    body=[("paragraph", "<p>بدأت الجلسة بقراءة مشروع القانون.</p>")],
    tags=["البرلمان"],
)
create_article(politics, title="مسودة لم تُنشر", publish=False)
TickerItem.objects.create(text="عاجل: انطلاق الجلسة", is_breaking=True, priority=5)
"""


def test_every_api_answer_matches_the_openapi_document(site, tmp_path):
    site.env["SAHAFA_API_RATE"] = ""  # schemathesis is one client sending thousands
    site.python(CONTENT)
    site.sahafa("worker", "--once")  # renditions and related lists, as after a publish
    server, base = site.serve(workers=2)
    report = tmp_path / "report"
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            f"{base}/api/v1/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "40",
            "--workers",
            "2",
            "--seed",
            "2026",
            "--request-timeout",
            "20",
            "--no-color",
            "--report",
            "junit",
            "--report-dir",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,  # its own cache folder (.schemathesis) lands there
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-8000:]
    # Every operation of the document was exercised, and none failed.
    document = json.loads(urlopen(f"{base}/api/v1/openapi.json", timeout=10).read())  # noqa: S310
    (junit,) = report.glob("junit-*.xml")
    suite = etree.parse(str(junit)).getroot()
    assert suite.get("failures") == "0" and suite.get("errors") == "0"
    tested = {case.get("name") for case in suite.iter("testcase")}
    assert {f"GET {path}" for path in document["paths"]} <= tested, tested
    log = (site.home / "serve.log").read_text()
    assert "Traceback" not in log, log[-4000:]
