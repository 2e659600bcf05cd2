"""The editorial group ("Redazione", labs 0003) edits the partners and their roles as it edits projects: they are an
inline of the project form (ProjectPartner, 0010), which would otherwise be hidden from the editors."""

from django.db import migrations

EDITORIAL = "Redazione"


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # On a fresh database Django creates permissions only after all migrations (post_migrate): too late here.
    create_permissions(
        global_apps.get_app_config("projects"), verbosity=0, apps=global_apps, using=schema_editor.connection.alias
    )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=EDITORIAL).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="projects",
                codename__in=[f"{action}_projectpartner" for action in ("add", "change", "delete", "view")],
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=EDITORIAL).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="projects", codename__endswith="_projectpartner")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("labs", "0003_staff_roles"),
        ("projects", "0011_programme_next_generation_eu"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
