from django.urls import path

from . import converters, views

app_name = "news"

urlpatterns = [
    path("author/<str:slug>/", views.author_page, name="author"),
    path("tag/<str:slug>/", views.tag_page, name="tag"),
    # <id:…>: only numbers a database id can be (converters.MAX_ID); a longer one is a 404.
    path(f"a/<{converters.ID}:pk>/", views.share_redirect, name="share"),
    path("fragments/ticker.json", views.ticker_fragment, name="ticker_fragment"),
]
