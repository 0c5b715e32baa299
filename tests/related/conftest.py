"""A small Arabic outlet for related topics: two stories with follow-ups and unrelated news."""

from __future__ import annotations

import pytest

TALKS = (
    "حوار محدود في إسطنبول بين روسيا وأمريكا",
    "بدأت في إسطنبول جولة المفاوضات الروسية الأمريكية حول الأسلحة النووية والعقوبات.\n"
    "وقال الوفد الروسي إن المفاوضات تتناول معاهدة الحد من الأسلحة الاستراتيجية.",
)
TALKS_FOLLOWUP = (
    "مفاوضات روسية أمريكية جديدة حول الأسلحة النووية",
    "تستأنف موسكو وواشنطن مفاوضات الحد من الأسلحة النووية الاستراتيجية الأسبوع المقبل.\n"
    "وأكد الوفد الأمريكي أن معاهدة الأسلحة والعقوبات على جدول الأعمال.",
)
FOOTBALL = (
    "الأهلي يفوز على الزمالك في نهائي الكأس",
    "حقق فريق الأهلي فوزا ثمينا على الزمالك بهدفين مقابل هدف في نهائي كأس مصر لكرة القدم.\n"
    "وسجل المهاجم هدف الفوز في الدقيقة الأخيرة من المباراة.",
)
FOOTBALL_FOLLOWUP = (
    "احتفالات جماهير الأهلي بلقب الكأس",
    "خرجت جماهير الأهلي إلى الشوارع احتفالا بالفوز على الزمالك في نهائي كأس مصر لكرة القدم.\n"
    "وأشاد المدرب بأداء المهاجم في المباراة.",
)


@pytest.fixture
def publish(make_article, django_capture_on_commit_callbacks):
    """Publish an article and run the background work its publication enqueues."""

    def run(story, **fields):
        title, body = story
        with django_capture_on_commit_callbacks(execute=True):
            return make_article(title, body=body, **fields)

    return run


@pytest.fixture
def changes(django_capture_on_commit_callbacks):
    """``with changes(): …`` runs the on-commit work of whatever happens inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
