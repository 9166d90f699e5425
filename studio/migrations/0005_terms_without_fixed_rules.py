"""The demo's terms used to say "Tot 12 uur voor de les" in their own words; the terms page now adds a
section written from the studio's booking rules. Where the old paragraph is still there word for word
it is replaced by a pointer to that section, so the page never contradicts the rules. Text the studio
wrote itself is left alone."""

from django.db import migrations

OLD_NL = ("## Annuleren\n\nTot 12 uur voor de les kun je kosteloos annuleren; je krijgt je strip of betaling terug. "
          "Later annuleren kan ook, maar dan vervalt de les.")
NEW_NL = ("Deze voorwaarden gelden voor elke les, elk traject en elke sessie bij Studio Tree of Life. Hoe boeken "
          "en annuleren werkt, lees je hieronder bij *Boeken en annuleren*.")
OLD_EN = ("## Cancelling\n\nUp to 12 hours before class you can cancel free of charge; your credit or payment is "
          "returned. You can cancel later too, but then the class is used.")
NEW_EN = ("These terms apply to every class, programme and session at Studio Tree of Life. How booking and "
          "cancelling work is set out below under *Booking and cancelling*.")


def forwards(apps, schema_editor):
    Page = apps.get_model("studio", "Page")
    for page in Page.objects.filter(key="terms"):
        body_nl, body_en = page.body_nl.replace(OLD_NL, NEW_NL), page.body_en.replace(OLD_EN, NEW_EN)
        if (body_nl, body_en) != (page.body_nl, page.body_en):
            Page.objects.filter(pk=page.pk).update(body_nl=body_nl, body_en=body_en)


class Migration(migrations.Migration):
    dependencies = [("studio", "0004_roles_personal_work")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
