from django.urls import path, re_path

from publications import views
from publications.feeds import NewsFeed

app_name = "publications"

urlpatterns = [
    path("pubblicazioni/", views.publication_list, name="list"),
    path("pubblicazioni/<slug:slug>/", views.PublicationDetailView.as_view(), name="detail"),
    path("pubblicazioni/<slug:slug>/scarica/", views.publication_download, name="download"),
    path("notizie/feed/", NewsFeed(), name="feed"),
    path("notizie/", views.ArticleListView.as_view(), name="article_list"),
    # "feed/" is the news RSS (above): never an article slug.
    re_path(r"^notizie/(?!feed/)(?P<slug>[-a-zA-Z0-9_]+)/$", views.ArticleDetailView.as_view(), name="article_detail"),
]
