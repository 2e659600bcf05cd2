""" "Pubblica materiali e invia ringraziamento" publishes a meeting's materials, an editorial decision, and emails every
attendee: it needs labs.change_meetingmaterial and surveys.add_meetingfollowup (surveys/admin.py). "Redazione" edits
the materials and the questionnaires, so it gets the follow-up permission; "Segreteria iscrizioni", which could run the
action with change_registration alone and so publish materials the editors had left as drafts, no longer can."""

from django.db import migrations

EDITORIAL = "Redazione"
PERMISSIONS = ("add_meetingfollowup", "view_meetingfollowup")


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="surveys", codename__in=PERMISSIONS)


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # On a fresh database Django creates permissions only after all migrations (post_migrate): too late here.
    create_permissions(
        global_apps.get_app_config("surveys"), verbosity=0, apps=global_apps, using=schema_editor.connection.alias
    )
    group = apps.get_model("auth", "Group").objects.filter(name=EDITORIAL).first()
    if group is not None:
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=EDITORIAL).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("surveys", "0003_staff_role_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
