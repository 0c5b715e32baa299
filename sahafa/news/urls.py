from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("author/<str:slug>/", views.author_page, name="author"),
    path("tag/<str:slug>/", views.tag_page, name="tag"),
    path("a/<int:pk>/", views.share_redirect, name="share"),
    path("fragments/ticker.json", views.ticker_fragment, name="ticker_fragment"),
]
