"""Original Arabic test articles, made up from a small vocabulary: distinct enough
that related topics and search have something to tell apart, deterministic."""

from __future__ import annotations

import json
import random
from pathlib import Path

SUBJECTS = ["الحكومة", "البرلمان", "الوزارة", "البلدية", "الجامعة", "النقابة", "المصرف المركزي"]
ACTIONS = ["تعلن", "تناقش", "تقرّ", "تراجع", "ترفض", "تدرس", "تطلق"]
TOPICS = [
    "خطة النقل العام",
    "موازنة العام المقبل",
    "أسعار الخبز",
    "مشروع تحلية المياه",
    "قانون الإيجارات",
    "منحة الطلاب",
    "مهرجان الكتاب",
    "شبكة الكهرباء الريفية",
    "مستشفى المدينة الجديد",
    "سوق السمك القديم",
]
DETAILS = [
    "وقال مسؤول إن التنفيذ يبدأ خلال أسابيع",
    "وأكد المتحدث أن الكلفة ستُعلن لاحقاً",
    "ورحّب السكان بالخطوة مع تحفظات على التوقيت",
    "وانتقدت المعارضة غياب الشفافية في الإجراءات",
    "ويتوقع خبراء أن تنعكس القرارات على الأسعار",
    "وستُعرض التفاصيل في جلسة علنية الأسبوع المقبل",
]


def article(n: int) -> dict:
    rng = random.Random(n)
    topic = TOPICS[n % len(TOPICS)]
    title = f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {topic} ({n})"
    paragraphs = [f"{title}. {rng.choice(DETAILS)}."] + [
        f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} ملف {topic}. {rng.choice(DETAILS)}."
        for _ in range(4)
    ]
    return {"id": f"proc-{n}", "title": title, "body": "\n".join(paragraphs)}


def write_jsonl(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            fh.write(json.dumps({**article(n), "section": "سياسة"}, ensure_ascii=False) + "\n")
    return path


def create_script(count: int, *, start: int = 0, batch: int | None = None) -> str:
    """A site script creating ``count`` published articles through ``create_article``:
    in one transaction (one event, one task) or in committed batches of ``batch``."""
    return f"""
        from django.db import transaction
        from sahafa.news.models import SectionPage
        from sahafa.news.signals import batched_changes, flush_batch
        from sahafa.news.structure import create_article
        from tests.publishing.corpus import article
        section = SectionPage.objects.get(slug="siyasa")
        numbers = list(range({start}, {start + count}))
        size = {batch or count}
        with batched_changes():
            for first in range(0, len(numbers), size):
                with transaction.atomic():
                    for n in numbers[first:first + size]:
                        a = article(n)
                        blocks = [("paragraph", "<p>" + p + "</p>") for p in a["body"].split("\\n")]
                        create_article(section, title=a["title"], body=blocks)
                    flush_batch()
        print("created", len(numbers))
    """
