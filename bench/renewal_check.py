"""What the renewal job left in the bench's database (run through `manage.py shell` with the
argument MEMBERSHIP_TYPE_ID): one JSON line with the memberships by status, how many periods each
paid (membership payments) and how many invoices were made."""

import json
import sys

from django.db.models import Count

from bookings.models import Invoice, Membership, Payment

TYPE_ID = int(sys.argv[1])
memberships = Membership.objects.filter(membership_type_id=TYPE_ID)
payments = Payment.objects.filter(membership__membership_type_id=TYPE_ID, status=Payment.Status.PAID)
paid_per_membership = payments.values("membership").annotate(paid=Count("pk")).values_list("paid", flat=True)
print(json.dumps({
    "statuses": dict(memberships.values_list("status").annotate(count=Count("pk")).order_by()),
    "payments": payments.count(),
    "invoices": Invoice.objects.filter(payment__in=payments).count(),
    "paid_twice": sum(1 for paid in paid_per_membership if paid == 2),
}))
