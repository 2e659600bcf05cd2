"""Indexes for the catalogue's sort orders, so that a page of 24 is read in order instead of sorting every project.

The orders are the ones projects.filters.ProjectFilter.ordering() produces (slug last as a tie-breaker). Title works on
both databases; the NULLS LAST orders exist only on PostgreSQL (SQLite has no NULLS LAST in index definitions). Not
declared in Project.Meta: they serve one query shape of the public catalogue and are created with plain SQL.
"""

from django.db import migrations

BOTH = [("project_title_slug_idx", "(title, slug)")]
POSTGRES = [
    ("project_start_sort_idx", "(start_date DESC NULLS LAST, title, slug)"),
    ("project_budget_sort_idx", "(budget DESC NULLS LAST, title, slug)"),
]


def create(apps, schema_editor):
    indexes = BOTH + (POSTGRES if schema_editor.connection.vendor == "postgresql" else [])
    for name, columns in indexes:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON projects_project {columns}")


def drop(apps, schema_editor):
    for name, _columns in BOTH + POSTGRES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_project_search_vector_column")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
