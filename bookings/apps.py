from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings and payments")

    def ready(self):
        from . import own_pages, policy, prices, privacy
        from .group import kinds as group_kinds
        from .group import marks as group_marks
        from .group import privacy as group_privacy
        from .group import receivers as group_receivers
        from .intake import privacy as intake_privacy
        from .memberships import kind as membership_kind
        from .memberships import privacy as membership_privacy
        from .offers import kinds as offers_kinds
        from .payments import privacy as payments_privacy
        from .personal import kinds as personal_kinds
        from .personal import privacy as personal_privacy

        # What each purpose sells through payments, and the ways to pay it owns.
        group_kinds.register()
        personal_kinds.register()
        offers_kinds.register()
        membership_kind.register()
        # What happens elsewhere that a purpose listens to.
        group_receivers.connect()
        # Whose own pages each row shows (so they are cached per person and never stale), and the
        # marks a signed-in client sees on the shared timetable pages.
        own_pages.connect()
        prices.connect()  # the public prices page follows the products it lists
        group_marks.register()
        policy.tell_the_timetable()  # rows offer booking only while it is open
        # What each part holds about a person (the privacy pages loop over it).
        for part in (group_privacy, personal_privacy, payments_privacy, intake_privacy, membership_privacy, privacy):
            part.register()
