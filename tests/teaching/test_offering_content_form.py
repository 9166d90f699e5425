"""The teacher writes an offering's own texts in her back office: what to bring and who it suits, in
Dutch and English, next to what to expect; a bad form keeps nothing of them."""

from datetime import datetime

import pytest
from django.urls import reverse

from classes.models import STUDIO_TZ, Offering
from tests.factories import OfferingFactory, StyleFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STUDIO_TZ)  # a Wednesday morning

TEXTS = {"what_to_bring_nl": "- Warme sokken\n- Een trui", "what_to_bring_en": "- Warm socks\n- A jumper",
         "suits_nl": "Voor wie wil **vertragen**.", "suits_en": "For you if you want to **slow down**."}


@pytest.fixture
def yin(db):
    return OfferingFactory(style=StyleFactory(slug="yin", name_nl="Yin yoga", name_en="Yin yoga"))


def offering_form(style, **changes):
    data = {"name_nl": "Zachte yin", "name_en": "Gentle yin", "summary_nl": "Rustig.", "summary_en": "Calm.", "kind": "group",
            "style": style.pk, "level": "all", "description_nl": "Een **zachte** les.", "description_en": "", "what_to_expect_nl": "Rust.",
            "what_to_expect_en": "", "what_to_bring_nl": "", "what_to_bring_en": "", "suits_nl": "", "suits_en": "",
            "duration_minutes": "60", "default_capacity": "10", "session_count": "1", "drop_in_price": "17,50",
            "allow_pay_at_studio": "on", "photo_alt_nl": "", "photo_alt_en": "", "is_shown": "on", "position": "3"}
    return {**data, **changes}


def test_the_form_asks_what_to_bring_and_who_it_suits_in_both_languages(client, teacher, yin, frozen):
    client.force_login(teacher.user)
    html = client.get(reverse("teaching:offering_edit", args=[yin.pk])).content.decode()
    for name, label in (("what_to_bring_nl", "Wat neem je mee (Nederlands)"), ("what_to_bring_en", "Wat neem je mee (Engels)"),
                        ("suits_nl", "Voor wie (Nederlands)"), ("suits_en", "Voor wie (Engels)")):
        assert f'name="{name}"' in html and label in html, name
    assert "Laat leeg om dit deel weg te laten." in html
    assert html.index('name="what_to_expect_en"') < html.index('name="what_to_bring_nl"') < html.index('name="suits_en"')


def test_a_teacher_writes_what_to_bring_and_who_it_suits_and_clients_read_them(client, teacher, yin, frozen):
    client.force_login(teacher.user)
    response = client.post(reverse("teaching:offering_new"), offering_form(yin.style, **TEXTS))
    assert response.status_code == 302
    offering = Offering.objects.get(slug="zachte-yin")
    assert {name: getattr(offering, name) for name in TEXTS} == TEXTS

    client.logout()
    dutch = client.get("/lessen/zachte-yin/").content.decode()
    assert "<li>Warme sokken</li>" in dutch and "<strong>vertragen</strong>" in dutch
    english = client.get("/en/classes/zachte-yin/").content.decode()
    assert "<li>Warm socks</li>" in english and "<strong>slow down</strong>" in english


def test_a_teacher_changes_and_empties_the_texts_of_an_offering(client, teacher, yin, frozen):
    Offering.objects.filter(pk=yin.pk).update(**TEXTS)
    client.force_login(teacher.user)
    form = offering_form(yin.style, name_nl="Yin yoga", name_en="Yin yoga", **{**TEXTS, "what_to_bring_nl": "Niets, alles ligt klaar.",
                                                                              "suits_nl": "", "suits_en": ""})
    assert client.post(reverse("teaching:offering_edit", args=[yin.pk]), form).status_code == 302
    yin.refresh_from_db()
    assert (yin.what_to_bring_nl, yin.what_to_bring_en, yin.suits_nl, yin.suits_en) == ("Niets, alles ligt klaar.", "- Warm socks\n- A jumper", "", "")
    client.logout()
    html = client.get("/lessen/yin-yoga/").content.decode()
    assert "Niets, alles ligt klaar." in html and 'id="suits-heading"' not in html


@pytest.mark.parametrize(("changes", "field"), [
    ({"drop_in_price": "zeventien"}, "drop_in_price"),
    ({"what_to_expect_nl": ""}, "what_to_expect_nl"),
    ({"name_nl": ""}, "name_nl"),
])
def test_a_bad_form_keeps_none_of_the_new_texts(client, teacher, yin, frozen, changes, field):
    client.force_login(teacher.user)
    before = {name: getattr(yin, name) for name in TEXTS}
    response = client.post(reverse("teaching:offering_edit", args=[yin.pk]),
                           offering_form(yin.style, **{"name_nl": "Yin yoga", **TEXTS, **changes}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()  # the message is shown next to the field
    yin.refresh_from_db()
    assert {name: getattr(yin, name) for name in TEXTS} == before
    assert list(Offering.objects.values_list("slug", flat=True)) == ["yin-yoga"]
    assert "Warme sokken" in response.content.decode()  # what she typed is still in the form, to correct
