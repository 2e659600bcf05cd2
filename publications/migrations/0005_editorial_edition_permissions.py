"""The editorial group ("Redazione", labs 0003) edits a publication's editions as it edits publications: they are an
inline of the publication form (PublicationEdition, 0004), which would otherwise be hidden from the editors."""

from django.db import migrations

EDITORIAL = "Redazione"


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # On a fresh database Django creates permissions only after all migrations (post_migrate): too late here.
    create_permissions(
        global_apps.get_app_config("publications"), verbosity=0, apps=global_apps, using=schema_editor.connection.alias
    )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=EDITORIAL).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="publications",
                codename__in=[f"{action}_publicationedition" for action in ("add", "change", "delete", "view")],
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=EDITORIAL).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="publications", codename__endswith="_publicationedition")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("labs", "0003_staff_roles"),
        ("publications", "0004_publication_editions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
