"""The demo studio: people and pages. Each app adds its own part; all of it is idempotent."""

from allauth.account.models import EmailAddress
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles
from .models import Page

DEMO_PASSWORD = "rustig-ademen"
DEMO_LOGINS = [
    ("admin", "admin@treeoflife.example", DEMO_PASSWORD),
    ("teacher", "manoek@treeoflife.example", DEMO_PASSWORD),
    ("client", "client@treeoflife.example", DEMO_PASSWORD),
]

PAGES = {
    Page.Key.ABOUT: (
        "Over Studio Tree of Life",
        "About Studio Tree of Life",
        "Studio Tree of Life is een kleine, rustige studio in Breda. Manoek geeft er trauma-bewuste Hatha-, "
        "Balans- en Yin yoga, TRE® en individuele Energetische Sessies.\n\n"
        "## Trauma-bewust lesgeven\n\nJij bepaalt je grenzen. Je mag altijd rusten, een houding overslaan of de "
        "ruimte verlaten. Aanraking gebeurt alleen als jij dat wilt.\n\n"
        "## De studio\n\nKleine groepen van zes tot veertien mensen, matten, kussens en dekens zijn aanwezig.",
        "Studio Tree of Life is a small, quiet studio in Breda. Manoek teaches trauma-aware Hatha, Balans and Yin "
        "yoga, TRE® and individual Energetic Sessions.\n\n"
        "## Trauma-aware teaching\n\nYou set your own limits. You may always rest, skip a pose or leave the room. "
        "Touch only happens when you want it.\n\n"
        "## The studio\n\nSmall groups of six to fourteen people; mats, cushions and blankets are provided.",
    ),
    Page.Key.TRE: (
        "TRE®: spanning loslaten met je eigen lichaam",
        "TRE®: releasing tension with your own body",
        "TRE® (Tension & Trauma Releasing Exercises) is een reeks eenvoudige oefeningen die het natuurlijke "
        "trilmechanisme van je lichaam op gang brengen. Dat trillen helpt je zenuwstelsel om spanning, stress en "
        "oude lading los te laten.\n\n## Zo begin je\n\nJe leert TRE® in het [TRE®-traject van drie sessies]"
        "(/lessen/tre-traject/): individueel of in een kleine groep. Daarna kun je aansluiten bij de "
        "[TRE® groepsles](/lessen/tre-groep/).\n\n## Veilig en in je eigen tempo\n\nJij houdt de regie. We "
        "leren je het trillen zelf te vertragen en te stoppen, zodat het nooit te veel wordt.",
        "TRE® (Tension & Trauma Releasing Exercises) is a series of simple exercises that switch on your body's "
        "natural tremor mechanism. The tremors help your nervous system let go of tension, stress and old load."
        "\n\n## How to start\n\nYou learn TRE® in the [three-session TRE® programme](/en/classes/tre-traject/): "
        "one-to-one or in a small group. Afterwards you are welcome in the [TRE® group class](/en/classes/tre-groep/)."
        "\n\n## Safe and at your own pace\n\nYou stay in charge. We teach you to slow down and stop the tremors "
        "yourself, so it never becomes too much.",
    ),
    Page.Key.PRIVACY: (
        "Privacyverklaring",
        "Privacy statement",
        "## Wat we bewaren\n\nJe naam, e-mailadres en telefoonnummer, je boekingen en betalingen, en — alleen als "
        "je daar uitdrukkelijk toestemming voor geeft — je intakeformulier.\n\n## Waarom\n\nOm je lessen te "
        "regelen, je te laten weten wanneer er iets verandert en veilig les te geven.\n\n## Jouw rechten\n\n"
        "Je kunt al je gegevens downloaden, laten aanpassen en laten verwijderen. Betaalgegevens bewaren we zo "
        "lang als de wet vraagt (zeven jaar).",
        "## What we keep\n\nYour name, email address and phone number, your bookings and payments, and — only with "
        "your explicit consent — your intake form.\n\n## Why\n\nTo arrange your classes, tell you when something "
        "changes and teach you safely.\n\n## Your rights\n\nYou can download, correct and delete all your data. "
        "Payment records are kept as long as the law requires (seven years).",
    ),
    Page.Key.TERMS: (
        "Algemene voorwaarden",
        "Terms and conditions",
        # No numbers of the booking rules here: the page adds "Boeken en annuleren", written from the
        # studio's current rules (bookings.policy.rules_for_clients), so the text never contradicts them.
        "Deze voorwaarden gelden voor elke les, elk traject en elke sessie bij Studio Tree of Life. Hoe boeken "
        "en annuleren werkt, lees je hieronder bij *Boeken en annuleren*.\n\n## Lessenkaarten\n\nEen lessenkaart "
        "is persoonlijk en geldig tot de vervaldatum op de kaart.\n\n## Gezondheid\n\nLuister naar je lichaam en "
        "vertel het ons als er iets is waar we rekening mee kunnen houden.",
        "These terms apply to every class, programme and session at Studio Tree of Life. How booking and "
        "cancelling work is set out below under *Booking and cancelling*.\n\n## Class cards\n\nA class card is "
        "personal and valid until the expiry date on the card.\n\n## Health\n\nListen to your body and tell us "
        "about anything we can take into account.",
    ),
}


def ensure_user(email, *, first_name, last_name, password, is_staff=False, is_superuser=False, language="nl"):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, "is_staff": is_staff,
                  "is_superuser": is_superuser, "language": language},
    )
    if created:
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load_people():
    people = {
        "admin": ensure_user(DEMO_LOGINS[0][1], first_name="Anouk", last_name="Beheer", password=DEMO_PASSWORD,
                             is_staff=True, is_superuser=True),
        "teacher": ensure_user(DEMO_LOGINS[1][1], first_name="Manoek", last_name="Klootwijk", password=DEMO_PASSWORD,
                               is_staff=True),
        "client": ensure_user(DEMO_LOGINS[2][1], first_name="Sanne", last_name="de Vries", password=DEMO_PASSWORD),
    }
    if not Group.objects.filter(name=roles.TEACHER).exists():  # a database emptied after migrating (tests)
        roles.sync_roles(global_apps)
    people["admin"].groups.add(Group.objects.get(name=roles.ADMIN))
    people["teacher"].groups.add(Group.objects.get(name=roles.TEACHER))
    return people


def load_pages():
    for key, (title_nl, title_en, body_nl, body_en) in PAGES.items():
        Page.objects.get_or_create(key=key, defaults={"title_nl": title_nl, "title_en": title_en, "body_nl": body_nl, "body_en": body_en})
