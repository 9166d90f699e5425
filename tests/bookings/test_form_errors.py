"""A form that comes back with errors says so at the top: "Er ging iets mis. Kijk dit na:" and every
error as a link to its field, focused on load (autofocus on the summary, no script), while each field
keeps its own message beside it (aria-invalid, aria-describedby)."""

import re

import pytest
from django.urls import reverse

from bookings.models import Intake
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

SUMMARY = 'class="form-errors error-summary" role="alert" tabindex="-1" autofocus'


def summary_links(html: str) -> list[str]:
    start = html.index(SUMMARY)
    block = html[start:html.index("</div>", start)]
    return re.findall(r'<a href="#([^"]+)">', block)


def test_the_contact_form_lists_each_error_with_a_link_to_its_field(client):
    response = client.post(reverse("contact"), {"name": "", "email": "geen-adres", "message": "Hoi", "website": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert SUMMARY in html and "Er ging iets mis. Kijk dit na:" in html
    assert summary_links(html) == ["id_name", "id_email", "id_message"]
    assert html.index(SUMMARY) < html.index('id="id_name"')  # at the top of the form
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_email_error"[^>]*id="id_email"', html)
    assert 'id="id_email_error"' in html


def test_the_profile_form_lists_its_error(client, client_user):
    client.force_login(client_user)
    response = client.post(reverse("profile"), {"first_name": "", "last_name": "Jansen", "phone": "12", "language": "nl"})
    assert response.status_code == 200
    assert summary_links(response.content.decode()) == ["id_first_name", "id_phone"]


def test_a_missing_consent_on_the_intake_is_named_at_the_top_and_links_to_the_box(client, client_user):
    client.force_login(client_user)
    response = client.post(reverse("intake:form"), {"hopes": "Rust", "pregnancy": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert summary_links(html) == ["id_consent"]
    assert "Vink dit vakje aan als je akkoord bent." in html[html.index(SUMMARY):html.index('id="id_emergency_contact_name"')]
    assert not Intake.objects.exists()


def test_a_choice_links_to_its_first_option(client, client_user):
    booking = BookingFactory(client=client_user)
    client.force_login(client_user)
    response = client.post(reverse("intake:touch", kwargs={"pk": booking.pk}), {"touch": "misschien"})
    assert response.status_code == 200
    html = response.content.decode()
    assert SUMMARY in html and summary_links(html) == ["id_touch_0"]


def test_a_failed_log_in_says_so_at_the_top(client, client_user):
    response = client.post(reverse("account_login"), {"login": client_user.email, "password": "niet-het-goede-wachtwoord"})
    assert response.status_code == 200
    html = response.content.decode()
    assert SUMMARY in html and "Er ging iets mis. Kijk dit na:" in html
    assert summary_links(html) == []  # not about one field: said without a link


def test_a_valid_page_has_no_summary(client):
    assert "error-summary" not in client.get(reverse("contact")).content.decode()
