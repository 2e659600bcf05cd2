"""GIN index on the catalogue's weighted full-text vector, on PostgreSQL only.

The index is built from projects.search.project_search_vector(), the very expression the catalogue queries with:
PostgreSQL uses an expression index only for an identical expression. It is not declared in Project.Meta.indexes
because SQLite has neither GIN nor tsvector; the migration state is therefore left untouched (no model change).
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

INDEX_NAME = "project_search_vector_gin"


def _index():
    from projects.search import project_search_vector

    return GinIndex(project_search_vector(), name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("projects", "Project"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("projects", "Project"), _index())


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_historicalproject_historicalservice")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
