"""Headline segmentation and sentence splitting."""

from __future__ import annotations

from sahafa.arabic import segment_headlines, sentences

# Character offsets [start, end) of the 12 headlines in line 4 of the seed page,
# determined by hand (the text itself stays in the shared folder).
SEED_TICKER_SPANS = [
    (0, 45), (46, 118), (119, 213), (214, 297), (298, 387), (388, 446),
    (447, 526), (527, 607), (608, 672), (673, 765), (766, 852), (853, 928),
]  # fmt: skip


def test_seed_ticker_split_at_expected_offsets(seed_page):
    line = seed_page.read_text(encoding="utf-8").splitlines()[3]
    assert len(line) == SEED_TICKER_SPANS[-1][1], "seed page changed; re-derive offsets"
    expected = [line[s:e] for s, e in SEED_TICKER_SPANS]
    assert segment_headlines(line) == expected


def test_own_ticker():
    # Written for this test: question marks, "X.. Y", a colon headline, quotes.
    ticker = (
        "هل تنجح الهدنة في الصمود؟ "
        "أسعار النفط.. ارتفاع جديد يربك الأسواق العالمية "
        "وزير الخارجية: لا تراجع عن الموقف الثابت "
        "«صيف ساخن».. موجة حر تضرب المدن الساحلية"
    )
    assert segment_headlines(ticker) == [
        "هل تنجح الهدنة في الصمود؟",
        "أسعار النفط.. ارتفاع جديد يربك الأسواق العالمية",
        "وزير الخارجية: لا تراجع عن الموقف الثابت",
        "«صيف ساخن».. موجة حر تضرب المدن الساحلية",
    ]


def test_explicit_separators_and_empty():
    assert segment_headlines("") == []
    assert segment_headlines("خبر أول هنا | خبر ثان هناك") == ["خبر أول هنا", "خبر ثان هناك"]
    assert segment_headlines("عنوان واحد قصير") == ["عنوان واحد قصير"]


def test_sentences_rules():
    text = (
        "قال د. سامي إن النمو بلغ 3.5 في المئة. وأضاف: «الوضع صعب. لكنه يتحسن» "
        "ثم صمت.. وتابع حديثه! هل من جديد؟ لا"
    )
    assert sentences(text) == [
        "قال د. سامي إن النمو بلغ 3.5 في المئة.",
        "وأضاف: «الوضع صعب. لكنه يتحسن» ثم صمت.. وتابع حديثه!",
        "هل من جديد؟",
        "لا",
    ]


def test_sentences_paragraphs_and_unbalanced_quotes():
    text = "الفقرة الأولى بلا نقطة\nقال «اقتباس لا يغلق. جملة ثانية.\nفقرة ثالثة."
    assert sentences(text) == [
        "الفقرة الأولى بلا نقطة",
        "قال «اقتباس لا يغلق.",
        "جملة ثانية.",
        "فقرة ثالثة.",
    ]
    assert sentences("") == []


def test_spaced_colon_stays_with_its_speaker():
    # Crawled tickers often write «X : Y»; the free-standing colon belongs to X.
    ticker = "أسعار الذهب ترتفع في الأسواق المحلية الصحة : لا إصابات جديدة اليوم"
    assert segment_headlines(ticker) == [
        "أسعار الذهب ترتفع في الأسواق المحلية",
        "الصحة : لا إصابات جديدة اليوم",
    ]
