"""The renewal of many memberships through the webhook, timed: the bench's own Stripe stand-in
(devtools/fakestripe) sells COUNT memberships through a web server of the bench, then a month passes
on its clock and it sends every renewal's events (subscription updated, invoice created, finalized,
paid, payment succeeded) to that server's webhook one after another, as Stripe would. The figure is
the time from the clock's advance to the last event answered, and what the database holds after:
every membership renewed once, a payment and an invoice for each month."""

import time
from datetime import timedelta

from devtools.fakestripe import FakeStripeServer

SECRET = "whsec_bench_renewals"
MONTH = timedelta(days=31, hours=1)


def run(stack, *, count=1000) -> dict:
    fake = FakeStripeServer(webhook_secret=SECRET, api_key="sk_test_bench")
    fake.start()
    try:
        # The stand-in is local, which production settings refuse: this server runs as the tests do.
        env = {**stack.env, "DJANGO_TESTING": "true", "STRIPE_API_BASE": fake.url, "STRIPE_SECRET_KEY": "sk_test_bench",
               "STRIPE_WEBHOOK_SECRET": SECRET, "STUDIO_VAR_DIR": stack.directory()}
        port = stack.web(env=env)
        fake.configure_webhooks(url=f"http://127.0.0.1:{port}/stripe/webhook/", secret=SECRET)
        made = stack.shell("renewal_setup.py", count, env=env)
        started = time.perf_counter()
        for checkout_id in made["checkouts"]:
            fake.pay_subscription_checkout(checkout_id, "card")
        signup_seconds = time.perf_counter() - started
        started = time.perf_counter()
        fake.advance_time(MONTH.total_seconds())
        renewal_seconds = time.perf_counter() - started
        after = stack.shell("renewal_check.py", made["membership_type"], env=env)
        failed = sum(1 for attempt in fake.deliveries if not attempt["ok"])
    finally:
        fake.stop()
    exact = (after["statuses"].get("active") == count and after["payments"] == 2 * count and after["invoices"] == 2 * count
             and after["paid_twice"] == count and failed == 0)
    return {
        "name": f"renewal of {count:,} memberships through the webhook", "memberships": count,
        "seconds": round(renewal_seconds, 2), "signup_seconds": round(signup_seconds, 2), "failed_deliveries": failed,
        "after": after, "exact": exact,
        "summary": (f"{renewal_seconds:.1f} s for the month's events ({renewal_seconds / count * 1000:.1f} ms a membership); "
                    f"{after['payments']} payments and {after['invoices']} invoices for {count} memberships, "
                    f"{failed} failed deliveries ({'exact' if exact else 'NOT exact'}); selling them took {signup_seconds:.1f} s"),
    }
