"""The pure scoring core, without a database."""

from __future__ import annotations

import subprocess
import sys

from sahafa.related import scoring
from sahafa.related.memory import MemoryIndex
from sahafa.related.scoring import Document, profile

TALKS = "تستأنف المفاوضات الروسية الأمريكية حول الأسلحة النووية في إسطنبول والعقوبات"
OTHER_TALKS = "جولة مفاوضات روسية أمريكية جديدة بشأن الأسلحة النووية والعقوبات في جنيف"
FOOTBALL = "الأهلي يفوز على الزمالك في نهائي كأس مصر لكرة القدم بهدفين"
WEATHER = "موجة حر شديدة تضرب المنطقة وارتفاع درجات الحرارة إلى خمسين درجة"


def doc(key, text, day=738000, section=1, authors=(), headline=None):
    return Document(
        key=key,
        headline=headline or text[:40],
        body=text,
        day=day,
        section=section,
        authors=authors,
    )


def test_scoring_core_loads_no_django():
    code = "import sys, sahafa.related.scoring, sahafa.related.memory, sahafa.related.suggest; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_headline_and_tags_weigh_more_than_body():
    tf = scoring.weighted_terms(
        Document(key=1, headline="غزة", body="غزة", tags=("غزة",), standfirst="غزة")
    )
    assert sum(tf.values()) == 3 + 1 + 3 + 1.5


def test_signature_is_a_bounded_unit_vector():
    index = MemoryIndex([profile(doc(1, TALKS * 20)), profile(doc(2, FOOTBALL))])
    sig = index.signatures[1]
    assert len(sig) <= scoring.SIGNATURE_SIZE
    assert abs(sum(w * w for w in sig.values()) - 1) < 1e-9


def test_same_topic_ranks_first_and_self_never():
    index = MemoryIndex(
        profile(d) for d in [doc(1, TALKS), doc(2, FOOTBALL), doc(3, OTHER_TALKS), doc(4, WEATHER)]
    )
    keys = [s.key for s in index.related(1)]
    assert keys[0] == 3
    assert 1 not in keys
    assert 4 not in keys  # nothing in common


def test_recency_prefers_this_week_other_things_equal():
    old = doc(2, OTHER_TALKS, day=738000 - 3 * 365)
    new = doc(3, OTHER_TALKS + " ", day=738000 - 3, headline=OTHER_TALKS[:39])
    index = MemoryIndex(profile(d) for d in [doc(1, TALKS, day=738000), old, new, doc(4, FOOTBALL)])
    scored = index.related(1)
    assert [s.key for s in scored][:1] == [3]
    assert scoring.recency(738000, 738000) == 1.0
    assert scoring.RECENCY_FLOOR < scoring.recency(738000, 738000 - 1000) < 0.51


def test_near_duplicates_of_the_article_and_of_each_other_are_dropped():
    copy = TALKS + " اليوم"
    index = MemoryIndex(
        profile(d)
        for d in [
            doc(1, TALKS),
            doc(2, copy),
            doc(3, OTHER_TALKS),
            doc(4, OTHER_TALKS, day=737990),
            doc(5, FOOTBALL),
        ]
    )
    keys = [s.key for s in index.related(1)]
    assert 2 not in keys  # near-duplicate of the article itself
    assert (3 in keys) != (4 in keys)  # only one of two identical texts


def test_resemblance_estimates_jaccard():
    a = scoring.fingerprint(TALKS)
    assert scoring.resemblance(a, a) == 1.0
    assert scoring.resemblance(a, scoring.fingerprint(FOOTBALL)) == 0.0


def test_at_most_two_from_one_author_day():
    variants = [
        "المفاوضات الروسية الأمريكية تتواصل في إسطنبول لليوم الثاني",
        "وفد روسي يصل إلى إسطنبول لمفاوضات الأسلحة مع الأمريكيين",
        "واشنطن تتهم موسكو بعرقلة مفاوضات الأسلحة النووية في إسطنبول",
        "العقوبات الأمريكية على روسيا تخيم على مفاوضات إسطنبول",
    ]
    docs = [doc(1, TALKS)] + [
        doc(10 + n, v, authors=(7,), day=738001) for n, v in enumerate(variants)
    ]
    index = MemoryIndex(profile(d) for d in [*docs, doc(2, FOOTBALL)])
    keys = [s.key for s in index.related(1)]
    assert len([k for k in keys if k >= 10]) == 2
