"""python manage.py load_demo: the real AnciLab content, idempotent (a second run changes nothing)."""

from django.core.management.base import BaseCommand

from demo.loader import load_demo
from labs.models import Lab, Meeting
from projects.models import Project, Service
from publications.models import Article, Publication


class Command(BaseCommand):
    help = "Load the AnciLab demo content (labs, meetings, projects, services, publications, news)."

    def handle(self, *args, **options):
        changes = load_demo()
        if changes:
            for key, count in sorted(changes.items()):
                self.stdout.write(f"{key}: {count}")
        else:
            self.stdout.write("Demo content already up to date: nothing changed.")
        self.stdout.write(
            self.style.SUCCESS(
                f"labs={Lab.objects.count()} meetings={Meeting.objects.count()} projects={Project.objects.count()} "
                f"services={Service.objects.count()} publications={Publication.objects.count()} "
                f"articles={Article.objects.count()}"
            )
        )
