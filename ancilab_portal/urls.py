"""Root URLconf: Italian at /, English under /en/ (i18n_patterns without a prefix for the default language)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language

from core.visibility import public_media
from website import urls as website_urls
from website import views

# A database outage answers 503 + Retry-After instead of 500 (found by `make resilience`; see unavailable.py).
handler500 = "core.unavailable.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    # Uploaded covers and e-books are few and small; Django serves them (behind the proxy's cache) so that the
    # deployment needs no extra web server. Static files are served by whitenoise.
    # Once, at the root: crawlers read robots.txt and the sitemap only there (/en/robots.txt is a 404).
    path("sitemap.xml", website_urls.sitemap, name="sitemap"),
    path("robots.txt", website_urls.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("site.webmanifest", views.webmanifest, name="webmanifest"),
    # Only the public folders (core.visibility.PUBLIC_MEDIA_FOLDERS); meeting materials have their own download view.
    re_path(r"^media/(?P<path>.*)$", public_media),
]

if settings.BENCH_ENDPOINTS:
    # The benchmark's baseline: a view that does nothing, behind the same middleware and server as the real pages.
    urlpatterns.append(path("bench/bare", views.bare, name="bench_bare"))

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("account/", include("allauth.urls")),
    path("", include("website.urls")),
    path("", include("labs.urls")),
    path("", include("projects.urls")),
    path("", include("publications.urls")),
    path("", include("registrations.urls")),
    path("", include("surveys.urls")),
    path("", include("documents.urls")),
    prefix_default_language=False,
)
