"""Memberships for the renewal job of `make bench` (run through `manage.py shell` with the argument
COUNT, on a server whose STRIPE_API_BASE is the bench's own Stripe stand-in): COUNT clients, each
with a membership whose Checkout (subscription mode) is started through the app's own service.
Prints one JSON line: the Checkout ids to pay."""

import json
import sys

from django.contrib.auth import get_user_model

from bookings.memberships.selling import checkout_start, membership_buy
from bookings.models import MembershipType

COUNT = int(sys.argv[1])
User = get_user_model()


def main():
    membership_type, _ = MembershipType.objects.get_or_create(name_nl="Bench-renewal", defaults={
        "name_en": "Bench renewal", "price_cents": 7900, "is_on_sale": True})
    checkouts = []
    for index in range(COUNT):
        client = User.objects.create_user(email=f"renewal{index}@example.nl", first_name="Bench", last_name=f"renewal {index}")
        membership = membership_buy(client=client, membership_type=membership_type)
        checkout_start(membership=membership, success_url="http://127.0.0.1/ok", cancel_url="http://127.0.0.1/stop")
        checkouts.append(membership.stripe_checkout_id)
    print(json.dumps({"checkouts": checkouts, "membership_type": membership_type.pk}))


main()
