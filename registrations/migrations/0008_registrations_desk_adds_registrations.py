"""The "Segreteria iscrizioni" group may add registrations: on behalf of a person (phone, email) and walk-ins at the
door, always through the registration service (registrations/services.py: registration_create_by_staff)."""

from django.db import migrations

REGISTRATIONS_DESK = "Segreteria iscrizioni"


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # On a fresh database permissions are created only after all migrations (post_migrate): create them now.
    create_permissions(global_apps.get_app_config("registrations"), verbosity=0, using=schema_editor.connection.alias)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    desk = Group.objects.filter(name=REGISTRATIONS_DESK).first()
    if desk is not None:
        desk.permissions.add(
            *Permission.objects.filter(content_type__app_label="registrations", codename="add_registration")
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    desk = Group.objects.filter(name=REGISTRATIONS_DESK).first()
    if desk is not None:
        desk.permissions.remove(
            *Permission.objects.filter(content_type__app_label="registrations", codename="add_registration")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0007_registration_registered_by_staff"),
        ("labs", "0003_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
