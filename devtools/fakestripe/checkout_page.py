"""The hosted checkout page: plain HTML with real forms (no JavaScript).

Every action is a ``<button>`` inside a ``<form method="post">``, named in
Dutch and English, so a person, ``urllib`` or a Playwright test can press it.
"""

import html
import time

from .validation import ZERO_DECIMAL

# method value -> (payment method type, button label)
BUTTONS = (
    ("ideal", "ideal", "Betalen met iDEAL (test) / Pay with iDEAL (test)"),
    ("ideal_delayed", "ideal",
     "iDEAL, later bevestigd (test) / iDEAL, confirmed later (test)"),
    ("bancontact", "bancontact",
     "Betalen met Bancontact (test) / Pay with Bancontact (test)"),
    ("card", "card", "Betalen met kaart (test) / Pay by card (test)"),
    ("card_declined", "card",
     "Kaart wordt geweigerd (test) / Card declined (test)"),
)
# Subscription mode: iDEAL and Bancontact pay the first invoice and set up
# SEPA Direct Debit for the months after, as on Stripe.
SUBSCRIPTION_BUTTONS = (
    ("ideal", "ideal", "Betalen met iDEAL, daarna SEPA-incasso (test) / "
     "Pay with iDEAL, then SEPA Direct Debit (test)"),
    ("bancontact", "bancontact", "Betalen met Bancontact, daarna "
     "SEPA-incasso (test) / Pay with Bancontact, then SEPA Direct Debit "
     "(test)"),
    ("card", "card", "Betalen met kaart (test) / Pay by card (test)"),
    ("card_declined", "card",
     "Kaart wordt geweigerd (test) / Card declined (test)"),
    ("sepa_debit", "sepa_debit",
     "Betalen met SEPA-incasso (test) / Pay by SEPA Direct Debit (test)"),
)
SETUP_BUTTONS = (
    ("ideal", "ideal", "Instellen met iDEAL: SEPA-incasso (test) / "
     "Set up with iDEAL: SEPA Direct Debit (test)"),
    ("bancontact", "bancontact", "Instellen met Bancontact: SEPA-incasso "
     "(test) / Set up with Bancontact: SEPA Direct Debit (test)"),
    ("card", "card", "Kaart opslaan (test) / Save a card (test)"),
    ("sepa_debit", "sepa_debit", "SEPA-incasso instellen (test) / "
     "Set up SEPA Direct Debit (test)"),
)
# The hosted invoice page pays an open invoice with a new method.
INVOICE_METHODS = {
    "card": "Betalen met kaart (test) / Pay by card (test)",
    "sepa_debit": "Betalen met SEPA-incasso (test) / Pay by SEPA Direct "
                  "Debit (test)",
}
INTERVALS = {"day": ("dag", "day"), "week": ("week", "week"),
             "month": ("maand", "month"), "year": ("jaar", "year")}
CANCEL_LABEL = "Annuleren en teruggaan / Cancel and go back"
DECLINED_TEXT = ("Je kaart is geweigerd. Probeer een andere betaalmethode. / "
                 "Your card was declined. Please try another payment method.")

STYLE = """
body{font-family:system-ui,sans-serif;background:#f6f7f9;color:#1a1f36;
margin:0;padding:2rem 1rem}
main{max-width:32rem;margin:0 auto;background:#fff;border-radius:12px;
padding:1.5rem 2rem;box-shadow:0 2px 8px rgba(0,0,0,.08)}
.badge{display:inline-block;background:#ffde92;color:#5f3a00;
border-radius:4px;padding:.1rem .5rem;font-size:.8rem;font-weight:600}
table{width:100%;border-collapse:collapse;margin:1rem 0}
td,th{padding:.4rem 0;text-align:left;border-bottom:1px solid #e3e8ee}
td.num,th.num{text-align:right}
.total{font-size:1.2rem;font-weight:700}
form{margin:.5rem 0}
button{display:block;width:100%;padding:.7rem;margin:.4rem 0;font-size:1rem;
border-radius:6px;border:1px solid #635bff;background:#635bff;color:#fff;
cursor:pointer}
button.secondary{background:#fff;color:#635bff}
button.danger{background:#fff;color:#c0123c;border-color:#c0123c}
[role=alert]{background:#fde8ec;color:#8a0b2b;padding:.7rem;border-radius:6px}
label{display:block;margin:.5rem 0 .2rem}
input{width:100%;padding:.5rem;box-sizing:border-box}
small{color:#697386}
"""


def money(amount, currency):
    """``1500, 'eur'`` -> ``'€ 15,00'`` (Dutch notation)."""
    if currency in ZERO_DECIMAL:
        return f"{amount} {currency.upper()}"
    whole, cents = divmod(abs(amount), 100)
    sign = "-" if amount < 0 else ""
    text = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    symbol = {"eur": "€ ", "usd": "$ ", "gbp": "£ "}.get(currency)
    if symbol:
        return f"{sign}{symbol}{text}"
    return f"{sign}{text} {currency.upper()}"


def success_redirect(session):
    return session["success_url"].replace("{CHECKOUT_SESSION_ID}",
                                          session["id"])


def _page(title, body):
    return (
        "<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,"
        "initial-scale=1\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n")


def _every(price):
    recurring = price.get("recurring")
    if not recurring:
        return ""
    nl, en = INTERVALS[recurring["interval"]]
    count = recurring["interval_count"]
    if count == 1:
        return f" <small>per {nl} / per {en}</small>"
    return f" <small>elke {count} × {nl} / every {count} {en}s</small>"


def _items_table(session, items):
    if session["amount_total"] is None:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(item['description'])}"
        f"{_every(item['price'])}</td>"
        f"<td class=\"num\">{item['quantity']} &times;</td>"
        f"<td class=\"num\">{money(item['amount_total'], item['currency'])}"
        "</td></tr>" for item in items)
    total = money(session["amount_total"], session["currency"])
    return (
        "<table><thead><tr><th>Omschrijving / Item</th>"
        "<th class=\"num\">Aantal / Qty</th><th class=\"num\">Bedrag / Amount"
        f"</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<p class=\"total\" id=\"total\">Totaal / Total: {total}</p>")


def render_open(session, items, *, error=None):
    sid = html.escape(session["id"])
    parts = ["<span class=\"badge\">TESTMODUS / TEST MODE</span>",
             "<h1>Afrekenen / Checkout</h1>",
             "<p><small>Lokale nep-Stripe: er wordt niets echt betaald. / "
             "Local fake Stripe: nothing is really charged.</small></p>"]
    if error == "card_declined":
        parts.append(f"<p role=\"alert\">{DECLINED_TEXT}</p>")
    parts.append(_items_table(session, items))
    email = html.escape(session["customer_email"] or "")
    buttons = []
    heading = "Afrekenen / Checkout"
    choices = {"payment": BUTTONS, "subscription": SUBSCRIPTION_BUTTONS,
               "setup": SETUP_BUTTONS}[session["mode"]]
    if session["mode"] == "setup":
        heading = "Betaalmethode instellen / Set up a payment method"
        parts[1] = f"<h1>{heading}</h1>"
    for value, method_type, label in choices:
        if method_type in session["payment_method_types"]:
            css = " class=\"danger\"" if value == "card_declined" else ""
            buttons.append(f"<button type=\"submit\" name=\"method\" "
                           f"value=\"{value}\"{css}>{label}</button>")
    parts.append(
        f"<form method=\"post\" action=\"/c/pay/{sid}\">"
        "<label for=\"email\">E-mailadres / Email</label>"
        f"<input id=\"email\" name=\"email\" type=\"email\" value=\"{email}\""
        " autocomplete=\"email\">"
        + "".join(buttons) + "</form>")
    parts.append(
        f"<form method=\"post\" action=\"/c/pay/{sid}/cancel\">"
        f"<button type=\"submit\" class=\"secondary\">{CANCEL_LABEL}</button>"
        "</form>")
    return _page("Afrekenen / Checkout (test)", "".join(parts))


def render_closed(session, items, intent=None):
    if session["status"] == "complete":
        processing = session["payment_status"] == "unpaid"
        heading = ("Betaling wordt verwerkt / Payment processing" if
                   processing else "Betaling ontvangen / Payment received")
        if session["mode"] == "subscription":
            heading = "Abonnement gestart / Subscription started"
        elif session["mode"] == "setup":
            heading = "Betaalmethode opgeslagen / Payment method saved"
        note = ("<p>Je bank bevestigt de betaling later. / Your bank will "
                "confirm the payment later.</p>" if processing else "")
        link = (f"<p><a href=\"{html.escape(success_redirect(session))}\">"
                "Terug naar de website / Return to the website</a></p>")
    else:
        heading = "Deze betaalsessie is verlopen / This checkout has expired"
        note = "<p>Er is niets betaald. / Nothing was charged.</p>"
        link = (f"<p><a href=\"{html.escape(session['cancel_url'])}\">"
                "Terug naar de website / Return to the website</a></p>"
                if session["cancel_url"] else "")
    body = (f"<span class=\"badge\">TESTMODUS / TEST MODE</span>"
            f"<h1>{heading}</h1>{note}" + _items_table(session, items) + link)
    return _page(heading, body)


def render_cancelled():
    text = "Betaling geannuleerd / Payment cancelled"
    return _page(text, f"<h1>{text}</h1><p>Er is niets betaald. / "
                       "Nothing was charged.</p>")


def render_not_found(what):
    text = "Niet gevonden / Not found"
    return _page(text, f"<h1>{text}</h1><p>{html.escape(what)}</p>")


def render_error(message):
    text = "Dat lukte niet / That did not work"
    return _page(text, f"<h1>{text}</h1><p role=\"alert\">"
                       f"{html.escape(message)}</p>")


def render_receipt(charge):
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(charge["created"]))
    refunded = ""
    if charge["amount_refunded"]:
        refunded = ("<p>Terugbetaald / Refunded: "
                    f"{money(charge['amount_refunded'], charge['currency'])}"
                    "</p>")
    body = ("<span class=\"badge\">TESTMODUS / TEST MODE</span>"
            "<h1>Betaalbewijs / Receipt</h1>"
            f"<p>Bedrag / Amount: {money(charge['amount'], charge['currency'])}"
            f"</p><p>Status: {html.escape(charge['status'])}</p>{refunded}"
            f"<p>Datum / Date: {when} UTC</p>"
            f"<p><small>{html.escape(charge['id'])}</small></p>")
    return _page("Betaalbewijs / Receipt", body)


def render_invoice(invoice, *, error=None):
    """The hosted invoice page: the invoice, and pay buttons while it is open."""
    cur = invoice["currency"]
    rows = "".join(
        f"<tr><td>{html.escape(line['description'] or '')}</td>"
        f"<td class=\"num\">{money(line['amount'], cur)}</td></tr>"
        for line in invoice["lines"]["data"])
    number = html.escape(invoice["number"] or invoice["id"])
    parts = ["<span class=\"badge\">TESTMODUS / TEST MODE</span>",
             f"<h1>Factuur / Invoice {number}</h1>",
             f"<p>Status: <strong id=\"status\">"
             f"{html.escape(invoice['status'])}</strong></p>",
             "<table><thead><tr><th>Omschrijving / Item</th>"
             "<th class=\"num\">Bedrag / Amount</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>",
             f"<p class=\"total\">Te betalen / Amount due: "
             f"{money(invoice['amount_remaining'], cur)}</p>"]
    if error == "declined":
        parts.append("<p role=\"alert\">De betaling is mislukt. Probeer "
                     "een andere betaalmethode. / The payment failed. "
                     "Please try another payment method.</p>")
    if invoice["status"] in ("open", "uncollectible"):
        buttons = "".join(
            f"<button type=\"submit\" name=\"method\" value=\"{value}\">"
            f"{label}</button>" for value, label in INVOICE_METHODS.items())
        parts.append(f"<form method=\"post\" action=\"/i/"
                     f"{html.escape(invoice['id'])}\">{buttons}</form>")
    elif invoice["status"] == "paid":
        parts.append("<p>Betaald, dank je wel. / Paid, thank you.</p>")
    return _page(f"Factuur / Invoice {number}", "".join(parts))
