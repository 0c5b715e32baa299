"""Word lists: news stop words and protected proper nouns.

Lists are written here in ordinary spelling (with hamza) for readability and are
match-normalised when the module loads, so callers always compare against
match-level forms.
"""

from __future__ import annotations

from .normalize import normalize

__all__ = ["DEFAULT_PROTECTED_WORDS", "FUNCTION_WORDS", "STOP_WORDS", "is_stopword"]

# Particles, prepositions and conjunctions: never the last word of a headline,
# and the base of the stop list.
_FUNCTION = """
في من على إلى الى عن مع بين وسط بعد قبل حول ضد عبر خلال لدى عند نحو تجاه اتجاه
منذ حتى دون بدون غير سوى عدا إزاء أمام خلف فوق تحت لأن لكن لكي كي أن إن أنّ إنّ
لن لم لا ما ماذا لماذا كيف هل قد لقد سوف ثم أو أم بل إذا إذ لو لولا كل بعض أي
أيّ الذي التي الذين اللذين اللتين اللواتي اللاتي اللائي ذلك تلك هذا هذه هؤلاء
أولئك هذان هاتان هنا هناك هنالك حيث بينما كما مثل لدي عليه عليها فيه فيها منه منها
إليه إليها عنه عنها له لها لهم لهن به بها بهم بين وبين ضمن لصالح جراء بسبب إثر عقب
رغم بشأن حيال نظرا وفق وفقا طبقا لـ بـ كـ فـ وـ
"""

_OTHER_STOP = """
قال وقال قالت وقالت يقول تقول أكد وأكد أضاف وأضاف أوضح وأوضح أشار وأشار تابع
كان كانت يكون تكون كانوا يكونوا ليس ليست لست أصبح أصبحت أصبحوا صار ظل مازال
ما زال لازال يزال تزال هو هي هم هن هما أنا نحن أنت أنتم أنتما أنتن إياه إياها
يمكن كذلك أيضا أيضاً جدا فقط نفس عدة أكثر أقل أول آخر أخرى الآخر الأخرى لدى
كلا كلتا جميع جميعا عام اليوم أمس غدا الآن حاليا حين عندما كلما بينما لذلك لذا
وذلك وهذا وهذه وهو وهي وهم وكان وكانت فيما بما مما عما ممن كما وكما إنه إنها
أنه أنها أنهم إنهم لأنه لأنها وأن وإن بأن بأنه بأنها لأن كأن وقد فقد ولم ولن ولا
وما ثمة تم يتم وتم تمت وتمت خاصة حوالي نحو قرابة نحوا يوم سنة عند وعند
ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي
"""

# Conjunction/preposition clitics commonly glued to the stop words above.
_CLITIC_BASES = """
في من على إلى عن مع بين بعد قبل حول ضد عبر خلال منذ حتى أن إن لن لم لا ما هذا
هذه ذلك تلك الذي التي الذين كل بعض هو هي هم كان كانت أو ثم قد هناك هنا حيث
"""

# Place names, countries, organisations and frequent news names whose letters look
# like clitics or suffixes (ف…, ب…, …ين, …ان) and must not be stemmed.
_PROTECTED = """
فلسطين لبنان سوريا سورية مصر العراق الأردن الكويت قطر البحرين الإمارات السعودية
عمان اليمن ليبيا تونس الجزائر المغرب موريتانيا السودان الصومال جيبوتي
إيران تركيا إسرائيل أمريكا أميركا روسيا الصين اليابان الهند
باكستان أفغانستان أوكرانيا فرنسا ألمانيا بريطانيا إيطاليا إسبانيا البرتغال هولندا
بلجيكا سويسرا النمسا السويد النرويج الدنمارك فنلندا بولندا اليونان قبرص كندا
المكسيك البرازيل الأرجنتين فنزويلا كوبا إثيوبيا إريتريا كينيا نيجيريا أوروبا
أفريقيا إفريقيا آسيا غزة القدس الله الخليل نابلس جنين أريحا طولكرم
قلقيلية رفح خانيونس دمشق حلب حمص إدلب درعا اللاذقية بيروت صيدا طرابلس بغداد
البصرة الموصل أربيل كركوك عمّان الرياض جدة مكة الدوحة المنامة أبوظبي دبي
مسقط صنعاء عدن القاهرة الإسكندرية الخرطوم تونس الرباط نواكشوط
طهران أنقرة إسطنبول اسطنبول واشنطن نيويورك موسكو بكين لندن باريس برلين روما
مدريد بروكسل جنيف فيينا كييف طوكيو دلهي كابول إسلام‌آباد الفاتيكان
سيناء الجولان الضفة النقب حيفا يافا عكا الناصرة أبيب
ترامب بايدن أوباما بوتين زيلينسكي ماكرون ميركل شولتس نتنياهو غوتيريش أردوغان
السيسي خامنئي روحاني بزشكيان هنية السنوار ميقاتي نصرالله بلينكن
حماس الله الحوثيين الحوثي طالبان داعش الناتو اليونسكو
اليونيسف الفيفا ويكيليكس فيسبوك تويتر يوتيوب غوغل جوجل أبل مايكروسوفت
الأونروا الإنتربول الكرملين البنتاغون الكونغرس الكنيست
"""


def _words(block: str) -> list[str]:
    return [normalize(w, "match") for w in block.split()]


FUNCTION_WORDS: frozenset[str] = frozenset(_words(_FUNCTION)) - {""}


def _build_stop_words() -> frozenset[str]:
    words = set(FUNCTION_WORDS) | set(_words(_OTHER_STOP))
    for base in _words(_CLITIC_BASES):
        words.update({"و" + base, "ف" + base})
    words.discard("")
    return frozenset(words)


#: Arabic news stop words, match-normalised, including و/ف clitic variants.
STOP_WORDS: frozenset[str] = _build_stop_words()

#: Built-in protected proper nouns (match-normalised).
DEFAULT_PROTECTED_WORDS: frozenset[str] = frozenset(_words(_PROTECTED)) - {""}


def is_stopword(word: str) -> bool:
    """Return True if ``word`` (any spelling; it is match-normalised) is a stop word."""
    return word in STOP_WORDS or normalize(word, "match") in STOP_WORDS
