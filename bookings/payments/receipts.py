"""Receipt numbers: per year, consecutive, never doubled and never skipped, however many payments
complete at once. The year's counter row is locked for the rest of the transaction, so a second
payment waits for the first to commit (or roll back, which gives the number back)."""

from django.db.models import Max
from django.utils import timezone

from ..models import Payment, ReceiptCounter


def receipt_number_next(now) -> str:
    """The next number of `now`'s year (Breda time): 2026-00001, 2026-00002, ... Call inside the
    transaction that saves it on the payment."""
    year = timezone.localtime(now).year
    if not ReceiptCounter.objects.filter(year=year).exists():
        # The first receipt of a year (or the first since counters exist): start after the highest
        # number already given. Two first receipts at once both try; the database keeps one row.
        highest = Payment.objects.filter(receipt_number__startswith=f"{year}-").aggregate(highest=Max("receipt_number"))["highest"]
        start = int(highest.split("-")[1]) if highest else 0
        ReceiptCounter.objects.bulk_create([ReceiptCounter(year=year, last_number=start)], ignore_conflicts=True)
    counter = ReceiptCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{year}-{counter.last_number:05d}"
