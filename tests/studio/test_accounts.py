"""Accounts: signup with an emailed code, login with a password or a code, reset,
change of email, profile and logout; bad input saves nothing."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from tests.conftest import mail_code

pytestmark = pytest.mark.django_db
User = get_user_model()

SIGNUP = {
    "first_name": "Lotte",
    "last_name": "Bakker",
    "email": "lotte@example.nl",
    "password1": "zachte-ochtend-91",
    "password2": "zachte-ochtend-91",
}


def test_signup_sends_a_code_and_the_code_verifies_and_logs_in(client, mailoutbox):
    response = client.post("/account/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="lotte@example.nl")
    assert (user.first_name, user.last_name, user.language) == ("Lotte", "Bakker", "nl")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lotte@example.nl"]
    code = mail_code(mailoutbox[0])

    confirm = client.post(response["Location"], {"code": code})
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/profiel/").status_code == 200


def test_signup_in_english_stores_english_as_language(client, mailoutbox):
    client.post("/en/account/signup/", {**SIGNUP, "email": "emma@example.com"})
    assert User.objects.get(email="emma@example.com").language == "en"


def test_signup_with_a_taken_email_saves_nothing(client, client_user, mailoutbox):
    response = client.post("/account/signup/", {**SIGNUP, "email": "SANNE@example.nl"})
    assert response.status_code == 200
    assert "Er is al een account met dit e-mailadres." in response.content.decode()
    assert User.objects.count() == 1 and mailoutbox == []


def test_signup_with_a_weak_password_saves_nothing(client, mailoutbox):
    response = client.post("/account/signup/", {**SIGNUP, "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html and "Dit wachtwoord is te kort. Gebruik minstens 10 tekens." in html
    assert not User.objects.exists() and mailoutbox == []


def test_signup_without_a_name_saves_nothing(client):
    response = client.post("/account/signup/", {**SIGNUP, "first_name": ""})
    assert response.status_code == 200 and not User.objects.exists()


def test_a_wrong_code_is_refused_with_a_message(client, mailoutbox):
    response = client.post("/account/signup/", SIGNUP)
    wrong = client.post(response["Location"], {"code": "ZZZZZZ"})
    assert wrong.status_code == 200
    assert "Deze code klopt niet." in wrong.content.decode()
    assert not EmailAddress.objects.get(email="lotte@example.nl").verified


def test_password_login_and_logout(client, client_user):
    response = client.post("/account/login/", {"login": "sanne@example.nl", "password": "rustig-ademen-42"})
    assert response.status_code == 302
    assert client.get("/profiel/").status_code == 200
    client.post("/account/logout/")
    assert client.get("/profiel/").status_code == 302


def test_wrong_password_is_refused(client, client_user):
    response = client.post("/account/login/", {"login": "sanne@example.nl", "password": "fout"})
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in response.content.decode()


def test_login_by_emailed_code(client, client_user, mailoutbox):
    response = client.post("/account/login/code/", {"email": "sanne@example.nl"})
    assert response.status_code == 302
    code = mail_code(mailoutbox[-1])
    confirm = client.post(response["Location"], {"code": code})
    assert confirm.status_code == 302
    assert client.get("/profiel/").status_code == 200


def test_password_reset_mail_is_sent(client, client_user, mailoutbox):
    response = client.post("/account/password/reset/", {"email": "sanne@example.nl"})
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["sanne@example.nl"]
    assert "/account/password/reset/key/" in mailoutbox[-1].body


def test_failed_logins_are_rate_limited(client, client_user):
    for _ in range(5):
        client.post("/account/login/", {"login": "sanne@example.nl", "password": "fout"})
    response = client.post("/account/login/", {"login": "sanne@example.nl", "password": "rustig-ademen-42"})
    assert response.status_code in (200, 429)
    assert client.get("/profiel/").status_code == 302


def test_profile_requires_login(client):
    response = client.get("/profiel/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")


def test_profile_edit_saves_name_phone_and_language(logged_in, client_user):
    response = logged_in.post("/profiel/", {"first_name": "Sanne", "last_name": "Smit", "phone": "+31 6 1234 5678", "language": "en"})
    assert response.status_code == 302 and response["Location"] == "/en/profile/"
    client_user.refresh_from_db()
    assert (client_user.last_name, client_user.phone, client_user.language) == ("Smit", "+31 6 1234 5678", "en")
    assert logged_in.get("/").status_code == 302  # English remembered


def test_profile_bad_phone_shows_message_and_saves_nothing(logged_in, client_user):
    response = logged_in.post("/profiel/", {"first_name": "Sanne", "last_name": "Smit", "phone": "bel me", "language": "nl"})
    assert response.status_code == 200
    assert "Vul een telefoonnummer in met minstens 8 cijfers" in response.content.decode()
    client_user.refresh_from_db()
    assert client_user.last_name == "de Vries" and client_user.phone == ""


def test_change_email_sends_verification_to_the_new_address(logged_in, client_user, mailoutbox):
    response = logged_in.post("/account/email/", {"action_add": "", "email": "sanne.nieuw@example.nl"})
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["sanne.nieuw@example.nl"]
    client_user.refresh_from_db()
    assert client_user.email == "sanne@example.nl"  # unchanged until the new address is confirmed
    confirm = logged_in.post(response["Location"], {"code": mail_code(mailoutbox[-1])})
    assert confirm.status_code == 302
    client_user.refresh_from_db()
    assert client_user.email == "sanne.nieuw@example.nl"
    assert EmailAddress.objects.get(user=client_user).email == "sanne.nieuw@example.nl"


def test_language_switch_is_saved_on_the_profile(logged_in, client_user):
    logged_in.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client_user.refresh_from_db()
    assert client_user.language == "en"
