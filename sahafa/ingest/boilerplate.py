"""Generic Arabic news-page boilerplate vocabulary and line tests.

Only vocabulary any Arabic news site uses (related-items labels, share and comment
prompts, copyright, tag labels, masthead roles) lives here — never words of one page.
"""

from __future__ import annotations

import re

from sahafa.ingest.records import MASTHEAD_ROLES

_AR_READ = r"(?:اقرأ|إقرأ|اقرا|إقرا|اقرأ)"
_ALSO = r"(?:أيضا|أيضاً|ايضا|ايضاً|أيضًا)"

#: Labels that start the related/most-read/latest lists after (or around) an article.
RELATED = re.compile(
    r"^(?:ال)?(?:موضوعات|مواضيع|أخبار|اخبار|مقالات|قصص)\s+"
    r"(?:متعلقة|ذات علاقة|ذات صلة|مرتبطة|مشابهة|ساخنة|مقترحة)"
    rf"|^{_AR_READ}\s*(?:{_ALSO}|المزيد)|^(?:انظر|شاهد)\s*{_ALSO}|^يمكنك {_ALSO}"
    r"|^(?:ال)?(?:أكثر|اكثر|الأكثر|الاكثر)\s*(?:قراءة|تصفحا|تصفحاً|مشاهدة|تعليقا|تعليق|ارسال)"
    r"|^(?:آخر|اخر|أخر)\s+(?:الأخبار|الاخبار|اﻷخبار|الأنباء)|^ترشيحاتنا|^مختارات|^المزيد",
)
#: Share / follow / print buttons.
SHARE = re.compile(
    r"^(?:مشاركة|مشاركه|شارك|شاركها|انشر|تابعنا|تابعونا|تابعوا|طباعة|أرسل لصديق)(?:\s|$|:)"
    r"|(?:فيسبوك|فيس بوك|تويتر|واتساب|واتس اب|لينكد إن|انستجرام|إنستجرام).*(?:فيسبوك|تويتر|يوتيوب)"
)
#: Comment prompts, moderation notes and reader-opinion disclaimers.
COMMENTS = re.compile(
    r"التعليقات|تعليقك|تعليقات القراء|(?:أضف|اضف|إضافة|أكتب|اكتب)\s+(?:تعليق|تعليقاً|تعليقا)"
    r"|لا تعبر عن رأي|تعبر عن (?:رأي|وجهة نظر) (?:أصحابها|كاتبها)|^تعليقات?$"
)
#: Copyright and footer lines.
COPYRIGHT = re.compile(
    r"حقوق (?:النشر|الطبع)|الحقوق محفوظة|جميع الحقوق|كافة الحقوق|All Rights Reserved|©\s*\d{4}",
    re.IGNORECASE,
)
#: Poll and similar widgets between headline and body.
WIDGETS = re.compile(r"^(?:استطلاع|استفتاء)|^عرض النتائج$|^صوّت|^صوت الآن|^استمع$|^(?:ابحث|بحث)$")
#: Labels introducing the tag list.
TAGS_LABEL = re.compile(
    r"^(?:ال)?(?:كلمات|الكلمات)\s*(?:ال)?(?:دالة|دلالية|مفتاحية|الدالة|الدلالية|المفتاحية)\s*[:：]?\s*"
    r"|^(?:الوسوم|وسوم|الأوسمة|Tags)\s*[:：]?\s*",
    re.IGNORECASE,
)
#: An image credit line such as «© REUTERS / …» (not a copyright footer).
CREDIT = re.compile(r"^(?:©|\(c\)|تصوير\s*:?|الصورة\s*:|Photo\s*:)", re.IGNORECASE)
#: Byline prefixes.
BYLINE = re.compile(r"^(?:كتب|كتبت|كتبه|بقلم|إعداد|اعداد|تحرير)\s*[:：]?\s+(?P<name>.+)$")

_ROLE_LABELS = sorted(
    ((label, role) for role, labels in MASTHEAD_ROLES.items() for label in labels),
    key=lambda pair: len(pair[0]),
    reverse=True,
)
MASTHEAD_LABEL = re.compile("|".join(re.escape(label) for label, _ in _ROLE_LABELS))
_ROLE_OF = dict(_ROLE_LABELS)


def is_end_marker(text: str) -> bool:
    """True for lines after which an article body never continues."""
    return bool(
        RELATED.search(text)
        or SHARE.search(text)
        or COMMENTS.search(text)
        or COPYRIGHT.search(text)
        or TAGS_LABEL.match(text)
    )


def is_boilerplate(text: str) -> bool:
    """True for navigation, share, comment, widget and copyright lines."""
    return is_end_marker(text) or bool(WIDGETS.search(text)) or text.count(" | ") >= 2


def is_credit(text: str) -> bool:
    """True for an image credit line (but not a dated copyright footer)."""
    return bool(CREDIT.match(text)) and not COPYRIGHT.search(text) and len(text.split()) <= 12


def parse_masthead(text: str) -> dict[str, str]:
    """Roles and names from a masthead line, even when entries are glued together.

    The line must start with a role label («رئيس مجلس الإدارة د. … رئيس التحرير …»);
    each name runs to the next label. Names keep titles such as «د.» and are
    returned exactly as written. Returns ``{}`` for other lines.
    """
    stripped = text.strip()
    first = MASTHEAD_LABEL.match(stripped)
    if not first:
        return {}
    matches = list(MASTHEAD_LABEL.finditer(stripped))
    result: dict[str, str] = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(stripped)
        name = stripped[match.end() : end].strip(" :：-–|/،,\t")
        if not name or len(name.split()) > 6:
            return {}
        result.setdefault(_ROLE_OF[match.group(0)], name)
    return result
