"""Portal-wide public pages: legal pages, sitemap, robots.txt, feeds, search."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
