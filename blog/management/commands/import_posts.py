"""python manage.py import_posts FILE... : articles exported from the old site, repaired and saved.

All files are read first; if any is not an article, nothing at all is saved.
Importing a file again updates its post (found by its web address), never
duplicates it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from blog import services
from blog.importing import ImportFormatError
from classes.models import Teacher


class Command(BaseCommand):
    help = "Import articles exported from the old site (the format of blog/demo_content/*.txt). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="exported article, UTF-8 text")
        parser.add_argument("--author", metavar="SLUG", help="teacher (short name) to credit; default: the name in the file")
        parser.add_argument("--language", choices=["nl", "en"], default="nl", help="language of new posts (default: nl)")
        parser.add_argument("--publish", action="store_true", help="publish new posts at their date (default: save as drafts)")

    def handle(self, *args, files, author=None, language="nl", publish=False, **options):
        teacher = None
        if author:
            teacher = Teacher.objects.filter(slug=author).first()
            if teacher is None:
                raise CommandError(f"There is no teacher with the short name “{author}”.")

        today = timezone.localdate()
        articles, problems = [], []
        for name in files:
            path = Path(name)
            try:
                raw = path.read_bytes()
            except OSError as error:
                problems.append(f"{name}: cannot be read ({error.strerror or error}).")
                continue
            try:
                articles.append((name, services.parse_import(raw, today=today)))
            except ImportFormatError as error:
                problems.append(f"{name}: {error}")
        if problems:
            raise CommandError("Nothing was imported.\n" + "\n".join(problems))

        with transaction.atomic():
            results = [
                (name, services.post_import(article=article, author=teacher, language=language, publish=publish))
                for name, article in articles
            ]
        for name, result in results:
            verb = "Created" if result.created else "Updated"
            self.stdout.write(self.style.SUCCESS(f"{verb} “{result.post.title}” ({result.post.get_absolute_url()}, {result.post.get_status_display().lower()}) from {name}"))
            for item in result.unrepaired:
                self.stderr.write(self.style.WARNING(f"  {name}: could not repair {item}"))
        unrepaired = sum(len(result.unrepaired) for _name, result in results)
        if unrepaired:
            self.stderr.write(self.style.WARNING(f"{unrepaired} character(s) could not be repaired; fix them in the admin."))
