from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import api, feeds
from .sitemaps import SITEMAPS, NewsSitemap

urlpatterns = [
    path("feeds/latest.xml", feeds.LatestArticlesFeed(), name="feed_latest"),
    path("feeds/atom.xml", feeds.AtomFeed(), name="feed_atom"),
    path("feeds/section/<str:slug>.xml", feeds.SectionFeed(), name="feed_section"),
    path("feeds/tag/<str:slug>.xml", feeds.TagFeed(), name="feed_tag"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        sitemap_views.sitemap,
        {"sitemaps": {"news": NewsSitemap}},
        name="sitemap_news",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", api.robots_txt, name="robots"),
    path("api/v1/articles/", api.article_list, name="api_articles"),
    path("api/v1/articles/<int:pk>/", api.article_detail, name="api_article"),
    path("api/v1/sections/", api.section_list, name="api_sections"),
    path("api/v1/tags/", api.tag_list, name="api_tags"),
]
