"""Queue the WebP copies of every photo whose copies are missing or stale: run once after upgrading
(photos uploaded before the copies were made), or after the worker could not reach MEDIA_ROOT."""

from django.core.management.base import BaseCommand

from core import renditions


class Command(BaseCommand):
    help = "Queue the making of the smaller copies of every photo whose copies are missing or stale."

    def handle(self, *args, **options):
        queued = renditions.refresh_missing()
        for label, count in queued.items():
            self.stdout.write(f"{label}: {count} queued")
        self.stdout.write(self.style.SUCCESS(f"{sum(queued.values())} photos queued; the worker makes their copies."))
