"""Staff roles as groups: "Redazione" edits the public content, "Segreteria iscrizioni" handles registrations.

Permissions are created first: on a fresh database Django only creates them after *all* migrations (post_migrate),
too late for this one. Superusers need no group.
"""

from django.db import migrations

EDITORIAL = "Redazione"
REGISTRATIONS_DESK = "Segreteria iscrizioni"

EDITORIAL_MODELS = {
    "labs": ["lab", "meeting", "venue"],
    "projects": ["project", "service", "area", "fundingprogramme", "organization", "projectlink"],
    "publications": ["publication", "article"],
}
REGISTRATIONS_DESK_PERMISSIONS = {
    "registrations": ["view_registration", "change_registration", "view_outboundemail"],
    "labs": ["view_lab", "view_meeting", "view_venue"],
}


def create_groups(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=global_apps, using=schema_editor.connection.alias)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(spec: dict[str, list[str]]):
        wanted = [(app, codename) for app, codenames in spec.items() for codename in codenames]
        found = []
        for app, codename in wanted:
            found.extend(Permission.objects.filter(content_type__app_label=app, codename=codename))
        return found

    editorial, _ = Group.objects.get_or_create(name=EDITORIAL)
    editorial.permissions.set(
        permissions(
            {
                app: [f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")]
                for app, models in EDITORIAL_MODELS.items()
            }
        )
    )
    desk, _ = Group.objects.get_or_create(name=REGISTRATIONS_DESK)
    desk.permissions.set(permissions(REGISTRATIONS_DESK_PERMISSIONS))


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORIAL, REGISTRATIONS_DESK]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("labs", "0002_historicallab_historicalmeeting"),
        ("projects", "0003_project_search_index"),
        ("publications", "0002_historicalarticle_historicalpublication"),
        ("registrations", "0003_outbox_and_reminders"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
