"""Publications and news admin (HistoryAdmin: the history page shows who changed what, with a diff)."""

from django.contrib import admin

from core.admin_actions import publish, unpublish
from core.history import HistoryAdmin

from .models import Article, Publication, PublicationEdition


class PublicationEditionInline(admin.TabularInline):
    model = PublicationEdition
    extra = 0
    fields = ["label", "label_en", "year", "external_url", "order"]


@admin.register(Publication)
class PublicationAdmin(HistoryAdmin):
    inlines = [PublicationEditionInline]
    list_display = ["title", "kind", "curator", "year", "download_count", "published"]
    list_filter = ["kind", "published", "year", "areas"]
    search_fields = ["title", "curator", "summary", "isbn"]
    autocomplete_fields = ["labs", "projects", "areas"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["download_count"]
    actions = [publish, unpublish]


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    list_display = ["title", "date", "author", "source_name", "published"]
    list_filter = ["published", "areas"]
    search_fields = ["title", "author", "body"]
    autocomplete_fields = ["areas", "labs"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"
    actions = [publish, unpublish]
