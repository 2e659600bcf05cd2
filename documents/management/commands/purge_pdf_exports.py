"""python manage.py purge_pdf_exports: delete built catalogue PDFs nobody will be served again, and their files.

Runs nightly from Celery beat (task "documents.purge_exports"); this command is the same purge for operators (e.g. before
a backup). Idempotent: a second run deletes nothing. See documents.exports.pdf_exports_purge for the rules.
"""

from django.core.management.base import BaseCommand

from documents.exports import pdf_exports_purge


class Command(BaseCommand):
    help = "Delete catalogue PDF exports older than 7 days or superseded by a newer one, with their files."

    def handle(self, *args, **options):
        result = pdf_exports_purge()
        self.stdout.write(f"Deleted {result.rows} exports and {result.files} files.")
