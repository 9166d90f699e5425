"""Memberships (abonnementen) through Stripe Billing: selling, booking with one, pausing, cancelling, failed payments."""
