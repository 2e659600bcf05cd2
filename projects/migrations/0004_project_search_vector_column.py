"""A stored, trigger-maintained tsvector column for the catalogue's full-text search (PostgreSQL only).

Why not the expression index of 0003: a word present in most projects makes PostgreSQL scan the table, and then it
recomputes the Italian stemming of every title, summary and description for the match and again for the rank (about
4 s on 10,000 projects). A stored vector is computed once per write.

Why a trigger and not a GENERATED column: PostgreSQL refuses to change the type of a column used by a generated
column, so an ordinary AlterField on title/summary (a new max_length) would fail. The trigger does not block that.

The column is not a model field (SQLite has no tsvector): projects.search reads it with raw SQL on PostgreSQL only.
Weights: title and acronym A, summary B, description C.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION projects_project_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('italian', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('italian', coalesce(NEW.acronym, '')), 'A') ||
        setweight(to_tsvector('italian', coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector('italian', coalesce(NEW.description, '')), 'C');
    RETURN NEW;
END
$$;
"""

FORWARD = [
    "ALTER TABLE projects_project ADD COLUMN IF NOT EXISTS search_vector tsvector",
    FUNCTION,
    "DROP TRIGGER IF EXISTS projects_project_search_vector ON projects_project",
    "CREATE TRIGGER projects_project_search_vector BEFORE INSERT OR UPDATE OF title, acronym, summary, description "
    "ON projects_project FOR EACH ROW EXECUTE FUNCTION projects_project_search_vector_update()",
    # Fill existing rows (the trigger fires on this UPDATE of title).
    "UPDATE projects_project SET title = title",
    "DROP INDEX IF EXISTS project_search_vector_gin",
    "CREATE INDEX project_search_vector_gin ON projects_project USING gin (search_vector)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS project_search_vector_gin",
    "DROP TRIGGER IF EXISTS projects_project_search_vector ON projects_project",
    "DROP FUNCTION IF EXISTS projects_project_search_vector_update()",
    "ALTER TABLE projects_project DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


def recreate_expression_index(apps, schema_editor):
    # Going back past this migration restores 0003's expression index.
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    from projects.search import project_search_vector

    schema_editor.add_index(
        apps.get_model("projects", "Project"), GinIndex(project_search_vector(), name="project_search_vector_gin")
    )


def backward(apps, schema_editor):
    _run(BACKWARD)(apps, schema_editor)
    recreate_expression_index(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_project_search_index")]

    operations = [migrations.RunPython(_run(FORWARD), backward, elidable=False)]
