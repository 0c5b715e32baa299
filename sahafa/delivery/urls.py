from django.urls import path

from . import feeds, robots, sitemaps, views

urlpatterns = [
    path("feeds/latest.xml", feeds.LatestArticlesFeed(), name="feed_latest"),
    path("feeds/atom.xml", feeds.AtomFeed(), name="feed_atom"),
    path("feeds/section/<str:slug>.xml", feeds.SectionFeed(), name="feed_section"),
    path("feeds/tag/<str:slug>.xml", feeds.TagFeed(), name="feed_tag"),
    path("feeds/author/<str:slug>.xml", feeds.AuthorFeed(), name="feed_author"),
    # Django's sitemap views, with the addresses and templates of .sitemaps.
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap_news"),
    path("sitemap-<section>.xml", sitemaps.sitemap, name="sitemap_section"),
    path("robots.txt", robots.robots_txt, name="robots"),
    # «الأكثر قراءة»: the cookie-less beacon (204, never cached) and the lists' fragment.
    path("fragments/views/<str:raw_id>", views.view_beacon, name="view_beacon"),
    path("fragments/most-read.json", views.most_read_fragment, name="most_read_fragment"),
    # The read API (/api/v1/, sahafa.delivery.api) is mounted by the top floor,
    # sahafa/api.py, with the search app's router beside it.
]
