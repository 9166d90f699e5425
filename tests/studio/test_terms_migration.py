"""Terms written before the rules made their own text: the old demo paragraph with its fixed "12 uur"
gives way to a pointer to the generated section; a text the studio wrote itself is kept."""

import importlib

import pytest
from django.apps import apps

from studio.models import Page

pytestmark = pytest.mark.django_db

migration = importlib.import_module("studio.migrations.0005_terms_without_fixed_rules")


def test_the_old_demo_paragraph_is_replaced_and_the_rest_kept():
    Page.objects.update_or_create(key="terms", defaults={
        "title_nl": "Algemene voorwaarden", "title_en": "Terms",
        "body_nl": migration.OLD_NL + "\n\n## Gezondheid\n\nLuister naar je lichaam.",
        "body_en": migration.OLD_EN + "\n\n## Health\n\nListen to your body."})
    migration.forwards(apps, None)
    page = Page.objects.get(key="terms")
    assert page.body_nl == migration.NEW_NL + "\n\n## Gezondheid\n\nLuister naar je lichaam."
    assert page.body_en == migration.NEW_EN + "\n\n## Health\n\nListen to your body."
    assert "12 uur" not in page.body_nl and "12 hours" not in page.body_en


def test_terms_the_studio_wrote_itself_are_left_alone():
    own = "## Annuleren\n\nBel ons gerust als je niet kunt komen."
    Page.objects.update_or_create(key="terms", defaults={"title_nl": "Voorwaarden", "title_en": "Terms", "body_nl": own, "body_en": "Call us."})
    migration.forwards(apps, None)
    assert Page.objects.get(key="terms").body_nl == own
