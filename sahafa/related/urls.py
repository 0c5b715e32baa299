from django.urls import path

from . import views

app_name = "sahafa_related"

urlpatterns = [
    path("suggest-tags/", views.suggest_tags, name="suggest_tags"),
]
