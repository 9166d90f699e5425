import pytest

pytestmark = pytest.mark.django_db

MESSAGE = {"name": "Lotte", "email": "lotte@example.nl", "message": "Is er plek voor beginners?", "website": ""}


def test_contact_message_is_mailed_to_the_studio(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", MESSAGE)
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["hallo@studiotreeoflife.nl"] and mailoutbox[0].reply_to == ["lotte@example.nl"]
    assert "Is er plek voor beginners?" in mailoutbox[0].body


def test_honeypot_hit_sends_nothing(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", {**MESSAGE, "website": "http://spam.example"})
    assert response.status_code == 302 and mailoutbox == []


def test_empty_message_shows_a_clear_error(client, mailoutbox):
    response = client.post("/contact/", {**MESSAGE, "message": "  ", "email": "geen-email"})
    html = response.content.decode()
    assert response.status_code == 200 and mailoutbox == []
    assert "Dit veld is verplicht." in html and "Voer een geldig e-mailadres in." in html


def test_too_many_messages_from_one_address_are_refused(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post("/contact/", MESSAGE)
        response = client.post("/contact/", MESSAGE)
    assert response.status_code == 200
    assert "Je hebt in korte tijd meerdere berichten gestuurd" in response.content.decode()
    assert len(mailoutbox) == 5
