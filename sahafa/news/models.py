"""The content model of an Arabic news outlet: home, sections, articles, authors,
tags, the masthead (outlet settings) and the ticker."""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from sahafa.arabic import normalize, reading_time, slugify, unique_slug

from .blocks import ArticleBodyBlock
from .forms import ArticlePageForm, SanitisedPageForm
from .querysets import ArticlePageManager, prefetch_card_images, renditions_prefetch
from .reserved import reserved_message, reserved_owner
from .sanitize import (
    check_emptied_text,
    check_required_text,
    clean_tag_name,
    clean_text,
    has_visible_text,
)

SECTION_PAGE_SIZE = 20
# The home page's section blocks (article ids), kept like the menu until content
# changes (``sahafa.news.context_processors.forget_nav``).
HOME_BLOCKS_CACHE_KEY = "sahafa:home-blocks:v1"
HOME_BLOCKS_CACHE_SECONDS = 300
# What the editor-in-chief may use in the outlet's policy texts: their page's title
# is its one <h1>, so sub-headings start at <h2> (all kept by sanitize.clean_html).
POLICY_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


@register_setting(icon="site")
class OutletSettings(BaseGenericSetting):
    """The outlet's identity and masthead, editable by the editor-in-chief."""

    DIGITS = [("arabic", _("أرقام عربية مشرقية (١٢٣)")), ("western", _("أرقام غربية (123)"))]
    MONTH_NAMES = [
        ("egyptian", _("يناير، فبراير، مارس… (مصر والخليج)")),
        ("levantine", _("كانون الثاني، شباط، آذار… (الشام والعراق)")),
        ("maghrebi", _("يناير، فبراير، ماي… (المغرب)")),
    ]

    name = models.CharField(_("اسم المنبر"), max_length=120, default="صحافة")
    tagline = models.CharField(_("الشعار"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("الشعار المصوّر"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chairman_label = models.CharField(
        _("لقب رئيس مجلس الإدارة"), max_length=60, default="رئيس مجلس الإدارة"
    )
    chairman = models.CharField(_("رئيس مجلس الإدارة"), max_length=120, blank=True)
    editor_in_chief_label = models.CharField(
        _("لقب رئيس التحرير"), max_length=60, default="رئيس التحرير"
    )
    editor_in_chief = models.CharField(_("رئيس التحرير"), max_length=120, blank=True)
    managing_editor = models.CharField(_("مدير التحرير"), max_length=120, blank=True)
    contact_email = models.EmailField(_("البريد الإلكتروني"), blank=True)
    contact_phone = models.CharField(_("الهاتف"), max_length=40, blank=True)
    address = models.CharField(_("العنوان"), max_length=250, blank=True)
    facebook = models.URLField(_("فيسبوك"), blank=True)
    x_twitter = models.URLField(_("إكس (تويتر)"), blank=True)
    youtube = models.URLField(_("يوتيوب"), blank=True)
    instagram = models.URLField(_("إنستغرام"), blank=True)
    telegram = models.URLField(_("تيليغرام"), blank=True)
    digits = models.CharField(_("نمط الأرقام"), max_length=10, choices=DIGITS, default="arabic")
    month_names = models.CharField(
        _("أسماء الأشهر"), max_length=12, choices=MONTH_NAMES, default="egyptian"
    )
    show_hijri = models.BooleanField(_("إظهار التاريخ الهجري"), default=True)
    ticker_headline_count = models.PositiveSmallIntegerField(
        _("عدد العناوين الأخيرة في الشريط"), default=10
    )
    publishing_principles = RichTextField(
        _("مبادئ النشر"),
        blank=True,
        features=POLICY_TEXT_FEATURES,
        help_text=_("ميثاق التحرير: تُنشر في صفحة خاصة تُربط من الترويسة وتذييل الموقع."),
    )
    corrections_policy = RichTextField(
        _("سياسة التصحيح"),
        blank=True,
        features=POLICY_TEXT_FEATURES,
        help_text=_("كيف يصحّح المنبر أخطاءه ويعلن تحديثات أخباره، وكيف يبلّغه القرّاء بخطأ."),
    )

    # The policy texts, each with the named route of its page (``news.urls``): a
    # policy without text has no page and is not named in the JSON-LD.
    POLICIES = (
        ("publishing_principles", "news:principles"),
        ("corrections_policy", "news:corrections_policy"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("logo")], heading=_("الهوية")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("chairman_label"), FieldPanel("chairman")]),
                FieldRowPanel([FieldPanel("editor_in_chief_label"), FieldPanel("editor_in_chief")]),
                FieldPanel("managing_editor"),
            ],
            heading=_("الترويسة"),
        ),
        MultiFieldPanel(
            [FieldPanel("publishing_principles"), FieldPanel("corrections_policy")],
            heading=_("المبادئ والسياسات"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("address")],
            heading=_("التواصل"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook"),
                FieldPanel("x_twitter"),
                FieldPanel("youtube"),
                FieldPanel("instagram"),
                FieldPanel("telegram"),
            ],
            heading=_("الشبكات الاجتماعية"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("digits"),
                FieldPanel("month_names"),
                FieldPanel("show_hijri"),
                FieldPanel("ticker_headline_count"),
            ],
            heading=_("الأعراف المحلية"),
        ),
    ]

    # Read on every page (the masthead shows the logo): one query with the logo.
    select_related = ["logo"]

    class Meta:
        verbose_name = _("إعدادات المنبر")

    def clean(self):
        # A masthead name of only markup would be saved empty: refused at the field;
        # so is a policy text of only markup (a policy left empty is no policy).
        super().clean()
        check_required_text(self)
        check_emptied_text(self, {name for name, _route in self.POLICIES})

    def has_text(self, field: str) -> bool:
        """Whether the rich text ``field`` holds anything a reader would see."""
        return has_visible_text(strip_tags_text(getattr(self, field) or ""))

    def policy_url(self, field: str) -> str | None:
        """The address of a policy's page, or None while it has no text."""
        route = dict(self.POLICIES)[field]
        return reverse(route) if self.has_text(field) else None

    @property
    def principles_url(self) -> str | None:
        return self.policy_url("publishing_principles")

    @property
    def corrections_policy_url(self) -> str | None:
        return self.policy_url("corrections_policy")

    @property
    def policy_links(self) -> list[tuple[str, str]]:
        """(label, address) of each policy with text, for the footer and the masthead."""
        links = []
        for field, _route in self.POLICIES:
            url = self.policy_url(field)
            if url:
                links.append((str(self._meta.get_field(field).verbose_name), url))
        return links

    @property
    def social_links(self) -> list[tuple[str, str]]:
        pairs = [
            ("فيسبوك", self.facebook),
            ("إكس", self.x_twitter),
            ("يوتيوب", self.youtube),
            ("إنستغرام", self.instagram),
            ("تيليغرام", self.telegram),
        ]
        return [(label, url) for label, url in pairs if url]


class Author(index.Indexed, models.Model):
    """A byline. Each author has a public page listing their articles."""

    name = models.CharField(_("الاسم"), max_length=120)
    slug = models.SlugField(
        _("المعرّف في الرابط"), max_length=120, unique=True, allow_unicode=True, blank=True
    )
    job_title = models.CharField(_("الصفة"), max_length=120, blank=True)
    bio = models.TextField(_("نبذة"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("الصورة"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("البريد الإلكتروني"), blank=True)
    x_twitter = models.URLField(_("حساب إكس"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("email"),
        FieldPanel("x_twitter"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("كاتب")
        verbose_name_plural = _("الكتّاب")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            others = Author.objects.exclude(pk=self.pk)
            self.slug = unique_slug(
                slugify(self.name), lambda s: others.filter(slug=s).exists(), max_length=100
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:author", args=[self.slug])

    def clean(self):
        # A byline of only markup would be saved empty: refused at the field.
        super().clean()
        check_required_text(self, {"name"})


class NewsTag(TagBase):
    """A tag with Arabic slugs and a match-normalised form used to spot near-duplicates."""

    normalized = models.CharField(max_length=150, db_index=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("وسم")
        verbose_name_plural = _("الوسوم")

    def slugify(self, tag, i=None):
        base = slugify(tag, max_length=90)
        return f"{base}-{i}" if i else base

    def clean(self):
        # A name sanitising or display normalisation would empty is refused, not
        # saved as a nameless tag (an empty name is the field's own «required»).
        super().clean()
        if has_visible_text(self.name):
            try:
                clean_tag_name(self.name)
            except ValidationError as exc:
                raise ValidationError({"name": exc}) from exc

    def save(self, *args, **kwargs):
        self.name = normalize(self.name, "display")
        self.normalized = normalize(self.name, "match")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:tag", args=[self.slug])


class ArticlePageTagRelationship(ItemBase):
    tag = models.ForeignKey(NewsTag, related_name="tagged_articles", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "news.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ReaderPageMixin:
    """What the outlet's page types share on a reader's request, and their title rule."""

    def clean(self):
        # A title of only markup would be saved empty (and the page unpublishable):
        # refused at the field, when it is entered.
        super().clean()
        check_required_text(self, {"title"})

    def get_view_restrictions(self):
        """Wagtail's rule in one query instead of two: the restrictions of this page
        and of its ancestors, an alias standing for the page it is an alias of.

        The ancestors' paths are prefixes of this page's own, so they need no query of
        their own; Wagtail checks this on every page it serves.
        """
        paths = [self.path[: depth * self.steplen] for depth in range(1, self.depth + 1)]
        chain = Page.objects.filter(path__in=paths).annotate(
            source_id=Coalesce("alias_of_id", "id")
        )
        return PageViewRestriction.objects.filter(page_id__in=chain.values("source_id"))


class HomePage(ReaderPageMixin, Page):
    """The front page: editor-chosen top stories, then a block per section."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage"]
    base_form_class = SanitisedPageForm

    top_story_count = models.PositiveSmallIntegerField(_("عدد القصص الرئيسية"), default=5)
    section_story_count = models.PositiveSmallIntegerField(_("عدد القصص لكل قسم"), default=4)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("top_story_count"), FieldPanel("section_story_count")]),
        InlinePanel("features", label=_("القصص المختارة للواجهة")),
    ]

    class Meta:
        verbose_name = _("الصفحة الرئيسية")

    def route(self, request, path_components):
        """Find a section, or an article in its section, in one query.

        Wagtail walks down the tree with two queries a level (the child, then its
        specific row), four for an article. Sections and articles are the only pages
        under the home page and neither routes further, so they are looked up here
        directly — an article with what its page shows (``for_article_page``) — and
        are served exactly as Wagtail would serve them. Any other path, or a page that
        is not where its section says, is left to Wagtail's own walk.
        """
        if len(path_components) == 1:
            # [:1], not first(): a slug is unique among siblings, and the ORDER BY that
            # first() adds costs Django more to compile than the query costs to run.
            found = SectionPage.objects.child_of(self).filter(slug=path_components[0])[:1]
            section = next(iter(found), None)
            if section is not None:
                section._cached_parent_obj = self
                return section.route(request, [])
        elif len(path_components) == 2:
            section_slug, article_slug = path_components
            found = ArticlePage.objects.filter(
                path__startswith=self.path,
                depth=self.depth + 2,
                slug=article_slug,
                section__slug=section_slug,
            ).for_article_page()[:1]
            article = next(iter(found), None)
            # The section field follows the tree (set on creation, updated on a move);
            # should it ever disagree, the tree wins.
            if article is not None and article.path[: -self.steplen] == article.section.path:
                article.section._cached_parent_obj = self
                article._cached_parent_obj = article.section
                return article.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        top = self.top_stories()
        blocks = self.section_blocks(shown={a.pk for a in top})
        prefetch_card_images([*top, *(a for _section, articles in blocks for a in articles)])
        context.update(top_stories=top, section_blocks=blocks)
        return context

    def top_stories(self) -> list[ArticlePage]:
        """The editors' chosen live stories, in their order, then the newest others up
        to ``top_story_count`` — read in one query (two with the choice itself)."""
        chosen = list(
            dict.fromkeys(self.features.order_by("sort_order").values_list("article_id", flat=True))
        )
        published = ArticlePage.objects.published()
        # The newest articles, chosen or not, as many as could be needed should no
        # chosen story be live (the chosen are dropped below): read straight off the
        # date index, where excluding them in SQL would make SQLite sort them all.
        newest = published.newest_first().values("pk")[: self.top_story_count + len(chosen)]
        candidates = published.filter(Q(pk__in=chosen) | Q(pk__in=newest)).for_cards(images=False)
        by_id = {a.pk: a for a in candidates.newest_first()}
        top = [by_id.pop(pk) for pk in chosen if pk in by_id]
        needed = max(self.top_story_count - len(top), 0)
        return top + list(by_id.values())[:needed]

    def section_blocks(self, shown: set[int]) -> list[tuple[SectionPage, list[ArticlePage]]]:
        """A block per live section: its ``section_story_count`` newest articles not
        among the top stories (``shown``).

        Which articles those are is kept in the cache (``HOME_BLOCKS_CACHE_KEY``) until
        content changes, like the menu, and forgotten with it: finding them sorts every
        section's articles by date, the one part of the page whose cost grows with the
        archive. The articles themselves are read each time through ``published()``,
        so one unpublished since is never shown (its block is one shorter until then).
        """
        # The live sections under this page (child_of), picked here from all live
        # sections, a handful: asked by path in SQL, SQLite scans every page.
        sections = [
            s
            for s in SectionPage.live_sections()
            if s.depth == self.depth + 1 and s.path.startswith(self.path)
        ]
        count = self.section_story_count
        # What the answer depends on: another top story or section asks anew.
        variant = (self.pk, count, tuple(s.pk for s in sections), tuple(sorted(shown)))
        cached = cache.get(HOME_BLOCKS_CACHE_KEY)
        if cached is not None and cached[0] == variant:
            ids = cached[1]
        else:
            published = ArticlePage.objects.published()
            ids = published.newest_ids_per_section(sections, count, exclude_ids=shown)
            cache.set(HOME_BLOCKS_CACHE_KEY, (variant, ids), HOME_BLOCKS_CACHE_SECONDS)
        block_of = {pk: section_id for section_id, pks in ids.items() for pk in pks}
        articles: dict[int, list[ArticlePage]] = {}
        chosen = ArticlePage.objects.published().filter(pk__in=block_of).for_cards(images=False)
        for article in chosen.newest_first():
            articles.setdefault(block_of[article.pk], []).append(article)
        return [(s, articles[s.pk]) for s in sections if articles.get(s.pk)]


class HomePageFeature(Orderable):
    page = ParentalKey(HomePage, related_name="features", on_delete=models.CASCADE)
    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("المقال"), on_delete=models.CASCADE, related_name="+"
    )
    panels = [FieldPanel("article")]


class SectionPage(ReaderPageMixin, Page):
    """A section (سياسة، اقتصاد، رياضة…) whose children are its articles."""

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]
    base_form_class = SanitisedPageForm

    intro = models.CharField(_("وصف القسم"), max_length=250, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("قسم")
        verbose_name_plural = _("الأقسام")

    def clean(self):
        # Served at /<slug>/ only if no route of the site answers there first.
        super().clean()
        owner = reserved_owner(self.slug)
        if owner:
            raise ValidationError({"slug": reserved_message(self.slug, owner)})

    @classmethod
    def live_sections(cls) -> list[SectionPage]:
        """Every live section, in the tree's order (the menu's).

        Asked as "pages whose id is a section's": given only the join, SQLite walks
        every page of the tree (an archive's worth) to find the few sections.
        """
        sections = cls.objects.live().filter(pk__in=cls.objects.values("pk"))
        return list(sections.order_by("path"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.published().in_section(self).newest_first().for_cards()
        context["page_obj"] = paginate(articles, request.GET.get("page"), SECTION_PAGE_SIZE)
        return context


class ListingPaginator(Paginator):
    """Django's paginator, reading a page of a queryset in two steps in one query:
    the page's ids, sorted and cut on their own, then those rows whole.

    Sorting a section's or an author's thousands of articles to find twenty costs
    the database in proportion to what it carries along: the ids alone, not each
    card's joined page, section and image, halve it on a 30,000-article archive.
    """

    def page(self, number):
        # Django's Paginator.page, but for the slice.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        return self._get_page(rows.filter(pk__in=rows.values("pk")[bottom:top]), number, self)


def paginate(queryset, number, per_page: int):
    """The requested page of a listing; an out-of-range or malformed number is a 404."""
    paginator = ListingPaginator(queryset, per_page)
    try:
        return paginator.page(number or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404 from exc


class EmbargoHeld(ValidationError):
    """Raised when a save would make an article live while its embargo holds."""

    def __init__(self, until) -> None:
        self.until = until
        super().__init__(
            _("المقال محظور النشر حتى %(until)s؛ لا يُنشر إلا بموعد نشر عنده أو بعده."),
            code="embargo_held",
            params={"until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")},
        )


class ArticlePage(ReaderPageMixin, Page):
    """A news article: headline, kicker, standfirst, lead image, body blocks, bylines."""

    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    # The newsroom replaces it with its subclass (NewsroomConfig.ready()).
    base_form_class = ArticlePageForm

    kicker = models.CharField(_("العنوان التمهيدي"), max_length=120, blank=True)
    standfirst = models.TextField(_("الموجز"), blank=True)
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("الصورة الرئيسية"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_caption = models.CharField(_("تعليق الصورة"), max_length=300, blank=True)
    lead_credit = models.CharField(_("مصدر الصورة"), max_length=150, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("المتن"), blank=True)
    authors = ParentalManyToManyField(
        Author, verbose_name=_("الكتّاب"), blank=True, related_name="articles"
    )
    tags = ClusterTaggableManager(
        through=ArticlePageTagRelationship, verbose_name=_("الوسوم"), blank=True
    )
    section = models.ForeignKey(
        SectionPage,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    is_breaking = models.BooleanField(_("خبر عاجل"), default=False)
    embargo_until = models.DateTimeField(
        _("محظور النشر حتى"),
        null=True,
        blank=True,
        help_text=_(
            "لا يُنشر المقال قبل هذا الوقت: لنشره حدّد «موعد النشر» في تبويب النشر عنده أو بعده."
        ),
    )
    source_url = models.URLField(_("الرابط الأصلي"), max_length=1000, blank=True)
    external_id = models.CharField(
        _("المعرّف الخارجي"), max_length=200, null=True, blank=True, unique=True
    )
    # Set by importers: a digest of the imported record, so a re-run skips unchanged items.
    ingest_fingerprint = models.CharField(max_length=32, blank=True, editable=False)

    objects = ArticlePageManager()
    # The admin's search index is kept by sahafa.news.signal_handlers, which defers
    # it to the end of a bulk import instead of one task per save.
    search_auto_update = False

    search_fields = Page.search_fields + [index.SearchField("standfirst")]

    content_panels = Page.content_panels + [
        FieldPanel("kicker"),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_caption"), FieldPanel("lead_credit")],
            heading=_("الصورة الرئيسية"),
        ),
        FieldPanel("body"),
        FieldPanel("authors"),
        FieldPanel("tags"),
        FieldPanel("confirm_new_tags"),  # declared on sahafa.news.forms.ArticlePageForm
        # Part of the page's revision like any other field: an entry reaches readers
        # (and the JSON-LD dateModified) when the article is next published.
        InlinePanel("corrections", heading=_("تصحيحات وتحديثات"), label=_("تصحيح أو تحديث")),
    ]
    related_panels = [
        InlinePanel("related_pins", label=_("مقالات مثبّتة في «موضوعات متعلقة»")),
        InlinePanel("related_exclusions", label=_("مقالات مستبعدة من «موضوعات متعلقة»")),
    ]
    newsroom_panels = [
        FieldPanel("is_breaking"),
        FieldPanel("embargo_until"),
        FieldPanel("source_url"),
        FieldPanel("external_id"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("المحتوى")),
            ObjectList(related_panels, heading=_("موضوعات متعلقة")),
            ObjectList(newsroom_panels, heading=_("غرفة الأخبار")),
            ObjectList(Page.promote_panels, heading=_("الترويج")),
            ObjectList(Page.settings_panels, heading=_("النشر")),
        ]
    )

    class Meta:
        verbose_name = _("مقال")
        verbose_name_plural = _("المقالات")

    def full_clean(self, *args, **kwargs):
        # Wagtail would derive the slug with Django's slugify; ours keeps Arabic
        # readable and is never empty.
        if not self.slug and self.title:
            self.slug = slugify(self.title)
        super().full_clean(*args, **kwargs)

    def embargo_holds(self, now=None):
        """The embargo end that forbids this version going live now, or None.

        The one embargo rule, behind the publish button, the last approval and every
        other path: an article under embargo goes live only through Wagtail's own
        scheduling, with its go-live time at or after the embargo. There is no second
        clock: once live, an article is published, everywhere.
        """
        until = self.embargo_until
        if not until or until <= (now or timezone.now()):
            return None
        if self.go_live_at and self.go_live_at >= until:
            return None
        return until

    def save(self, *args, **kwargs):
        if self.section_id is None and self.depth:
            parent = self.get_parent()
            if parent is not None:
                self.section_id = parent.id
        update_fields = kwargs.get("update_fields")
        writes_live = update_fields is None or "live" in update_fields
        if self.live and writes_live and self.embargo_until and self.embargo_until > timezone.now():
            if self._state.adding:
                # Wagtail's create view writes a new page live before it asks the
                # before_publish_page hook, which then refuses: under embargo the new
                # page is written as the draft the editor is told it is.
                self.live = False
                self.has_unpublished_changes = True
            else:
                raise EmbargoHeld(self.embargo_until)
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The renditions of every image the article shows of its own, its lead image
        # and those in its body, in one query — not one per image whenever the
        # renditions cache does not hold them (most articles of a large archive).
        images = [self.lead_image] if self.lead_image_id else []
        images += [
            block.value["image"]
            for block in self.body
            if block.block_type == "image" and block.value.get("image") is not None
        ]
        prefetch_related_objects(images, renditions_prefetch())
        return context

    @property
    def published_at(self):
        return self.first_published_at or self.latest_revision_created_at

    @cached_property
    def correction_log(self) -> list[ArticlePageCorrection]:
        """The article's corrections and updates, newest first.

        On a reader's request the page comes with the time of its newest entry
        (``for_article_page``), so an article without any, as most are, asks for
        none; a preview or a revision holds its entries in memory.
        """
        if getattr(self, "newest_correction_at", ...) is None:
            return []
        return sorted(self.corrections.all(), key=lambda entry: entry.at, reverse=True)

    @property
    def modified_at(self):
        """When readers last saw the article change: its last publication, or its
        newest correction or update when that is later (JSON-LD ``dateModified``)."""
        last = self.last_published_at or self.first_published_at
        log = self.correction_log
        newest = log[0].at if log else None
        if last is None or (newest is not None and newest > last):
            return newest
        return last

    @property
    def updated_at(self):
        """The last change (``modified_at``), when it came meaningfully after the
        first publication."""
        first, last = self.first_published_at, self.modified_at
        if first and last and (last - first).total_seconds() > 600:
            return last
        return None

    @cached_property
    def body_text(self) -> str:
        """The article's plain text, for reading time, search and related topics."""
        parts = [self.standfirst]
        for block in self.body:
            if block.block_type == "paragraph":
                parts.append(strip_tags_text(block.value.source))
            elif block.block_type == "heading":
                parts.append(block.value)
            elif block.block_type == "quote":
                parts.append(block.value["text"])
            elif block.block_type == "image":
                parts.append(block.value.get("caption") or "")
        return "\n".join(p for p in parts if p)

    @property
    def reading_minutes(self) -> int:
        return reading_time(self.body_text)

    @cached_property
    def tag_list(self) -> list[NewsTag]:
        """The article's tags, read once for everything on its page that shows them
        (the tag links and the JSON-LD keywords)."""
        return list(self.tags.all())

    def share_url(self) -> str:
        return reverse("news:share", args=[self.pk])

    def related_articles(self, limit: int = 6) -> list[ArticlePage]:
        from .related import related_articles

        return related_articles(self, limit=limit)


def strip_tags_text(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(html).replace("&nbsp;", " ")


class ArticlePageRelatedPin(Orderable):
    """An article the editors put first in another article's related topics."""

    page = ParentalKey(ArticlePage, related_name="related_pins", on_delete=models.CASCADE)
    target = models.ForeignKey(
        ArticlePage, verbose_name=_("المقال"), on_delete=models.CASCADE, related_name="+"
    )
    panels = [FieldPanel("target")]


class ArticlePageRelatedExclusion(Orderable):
    """An article the editors never want in another article's related topics."""

    page = ParentalKey(ArticlePage, related_name="related_exclusions", on_delete=models.CASCADE)
    target = models.ForeignKey(
        ArticlePage, verbose_name=_("المقال"), on_delete=models.CASCADE, related_name="+"
    )
    panels = [FieldPanel("target")]


class ArticlePageCorrection(Orderable):
    """A correction («تصحيح») or an update («تحديث») of an article: shown on its page,
    newest first, with its time; kept in the article's revisions (a ParentalKey), so
    it is published with the article like any other edit."""

    CORRECTION = "correction"
    UPDATE = "update"
    KINDS = [(CORRECTION, _("تصحيح")), (UPDATE, _("تحديث"))]

    page = ParentalKey(ArticlePage, related_name="corrections", on_delete=models.CASCADE)
    kind = models.CharField(_("النوع"), max_length=12, choices=KINDS, default=CORRECTION)
    at = models.DateTimeField(_("الوقت"), default=timezone.now)
    text = models.CharField(
        _("النص"),
        max_length=500,
        help_text=_("ما الذي صُحّح أو أُضيف، بجملة أو جملتين."),
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("at")]),
        FieldPanel("text", widget=forms.Textarea(attrs={"rows": 2})),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("تصحيح أو تحديث")
        verbose_name_plural = _("تصحيحات وتحديثات")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"

    def clean(self):
        # A text of only markup would be shown empty: refused at the field. What
        # remains is cleaned here, not only on save, as the revision is written from
        # the form before anything is saved (and «view draft» renders it).
        super().clean()
        check_required_text(self, {"text"})
        self.text = clean_text(self.text)


class TickerItemQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).filter(
            Q(starts_at__isnull=True) | Q(starts_at__lte=now)
        )


class TickerItem(models.Model):
    """A line in the news ticker (شريط الأخبار): free text, optionally linked to a story."""

    text = models.CharField(_("النص"), max_length=300)
    article = models.ForeignKey(
        ArticlePage,
        verbose_name=_("المقال المرتبط"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link = models.URLField(_("رابط خارجي"), blank=True)
    is_breaking = models.BooleanField(_("عاجل"), default=True)
    priority = models.PositiveSmallIntegerField(
        _("الأولوية"), default=5, help_text=_("الأعلى يظهر أولاً (٠–١٠).")
    )
    starts_at = models.DateTimeField(_("يبدأ في"), null=True, blank=True)
    expires_at = models.DateTimeField(_("ينتهي في"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TickerItemQuerySet.as_manager()

    panels = [
        FieldPanel("text"),
        FieldPanel("article"),
        FieldPanel("link"),
        FieldRowPanel([FieldPanel("is_breaking"), FieldPanel("priority")]),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("expires_at")]),
    ]

    class Meta:
        verbose_name = _("خبر في الشريط")
        verbose_name_plural = _("شريط الأخبار")
        ordering = ["-priority", "-created_at"]

    def __str__(self) -> str:
        return self.text

    def clean(self):
        # A ticker line of only markup would be saved empty: refused at the field.
        super().clean()
        check_required_text(self, {"text"})

    @property
    def url(self) -> str:
        if self.article_id and self.article and self.article.live:
            return self.article.url
        return self.link
