from django.core.management.base import BaseCommand
from django.db import transaction

from blog import demo as blog_demo
from bookings.books import demo as offers_demo
from bookings.group import demo as bookings_demo
from bookings.personal import demo as demo_personal
from classes import demo as classes_demo
from studio import demo


class Command(BaseCommand):
    help = "Load the demo studio (people, pages, timetable, cards, memberships, vouchers, a code, programme, posts). Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        people = demo.load_people()
        demo.load_pages()
        timetable = classes_demo.load(teacher_user=people["teacher"])
        bookings_demo.load(client=people["client"])
        offers_demo.load()
        demo_personal.load(teacher_user=people["teacher"])
        posts = blog_demo.load(author=people["teacher"])
        self.stdout.write(self.style.SUCCESS(
            f"Demo loaded: {len(people)} people, pages, {len(timetable['offerings'])} offerings and their timetable, {len(posts)} posts."
        ))
