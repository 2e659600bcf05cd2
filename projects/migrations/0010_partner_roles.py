"""Partner roles: the many-to-many Project.partners gets an explicit through model, ProjectPartner, on the table the
automatic one used (projects_project_partners, columns project_id and organization_id): existing partners are kept,
with the role "partner" and order 0. Only role and order are new columns."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_english_description_and_service_sections"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProjectPartner",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="partnerships",
                                to="projects.organization",
                                verbose_name="ente",
                            ),
                        ),
                        (
                            "project",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="partnerships",
                                to="projects.project",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "partner del progetto",
                        "verbose_name_plural": "partner del progetto",
                        "db_table": "projects_project_partners",
                        "ordering": ["order", "id"],
                        "unique_together": {("project", "organization")},
                    },
                ),
                migrations.AlterField(
                    model_name="project",
                    name="partners",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="partner_projects",
                        through="projects.ProjectPartner",
                        to="projects.organization",
                        verbose_name="partner",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="projectpartner",
            name="role",
            field=models.CharField(
                choices=[
                    ("lead", "capofila"),
                    ("partner", "partner"),
                    ("associate", "partner associato"),
                    ("funder", "ente finanziatore"),
                ],
                default="partner",
                max_length=10,
                verbose_name="ruolo",
            ),
        ),
        migrations.AddField(
            model_name="projectpartner",
            name="order",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="ordine"),
        ),
    ]
