"""Staff roles (labs 0003): "Redazione" edits meeting materials and the questionnaires; "Segreteria iscrizioni" reads
the questionnaires and their results (it already sends the after-meeting email: that needs change_registration)."""

from django.db import migrations

EDITORIAL = "Redazione"
REGISTRATIONS_DESK = "Segreteria iscrizioni"
ACTIONS = ("add", "change", "delete", "view")
EDITORIAL_PERMISSIONS = {
    "labs": [f"{action}_meetingmaterial" for action in ACTIONS],
    "surveys": [f"{action}_{model}" for model in ("questionnaire", "question") for action in ACTIONS],
}
DESK_PERMISSIONS = {"surveys": ["view_questionnaire"]}


def _permissions(Permission, spec):
    return [
        permission
        for app, codenames in spec.items()
        for permission in Permission.objects.filter(content_type__app_label=app, codename__in=codenames)
    ]


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # On a fresh database Django creates permissions only after all migrations (post_migrate): too late here.
    for label in ("labs", "surveys"):
        create_permissions(
            global_apps.get_app_config(label), verbosity=0, apps=global_apps, using=schema_editor.connection.alias
        )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in ((EDITORIAL, EDITORIAL_PERMISSIONS), (REGISTRATIONS_DESK, DESK_PERMISSIONS)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*_permissions(Permission, spec))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in ((EDITORIAL, EDITORIAL_PERMISSIONS), (REGISTRATIONS_DESK, DESK_PERMISSIONS)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*_permissions(Permission, spec))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("labs", "0003_staff_roles"),
        ("labs", "0010_meeting_materials"),
        ("surveys", "0002_default_questionnaire"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
