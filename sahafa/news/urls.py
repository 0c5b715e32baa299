from django.urls import path

from . import converters, views

app_name = "news"

urlpatterns = [
    path("author/<str:slug>/", views.author_page, name="author"),
    path("tag/<str:slug>/", views.tag_page, name="tag"),
    # The outlet's masthead and its policies: one address each (search engines and
    # Google's publisher guidelines name a page per policy), under one prefix, so a
    # section can take any slug but «masthead».
    path("masthead/", views.masthead_page, name="masthead"),
    path(
        "masthead/principles/",
        views.policy_page,
        {"field": "publishing_principles"},
        name="principles",
    ),
    path(
        "masthead/corrections-policy/",
        views.policy_page,
        {"field": "corrections_policy"},
        name="corrections_policy",
    ),
    # <id:…>: only numbers a database id can be (converters.MAX_ID); a longer one is a 404.
    path(f"a/<{converters.ID}:pk>/", views.share_redirect, name="share"),
    path("fragments/ticker.json", views.ticker_fragment, name="ticker_fragment"),
]
