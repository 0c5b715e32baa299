from django.urls import path

from sahafa.news import converters

from . import api, feeds, sitemaps

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
    path("robots.txt", api.robots_txt, name="robots"),
    path("api/v1/articles/", api.article_list, name="api_articles"),
    path(f"api/v1/articles/<{converters.ID}:pk>/", api.article_detail, name="api_article"),
    path("api/v1/sections/", api.section_list, name="api_sections"),
    path("api/v1/tags/", api.tag_list, name="api_tags"),
]
