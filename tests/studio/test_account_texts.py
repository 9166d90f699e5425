"""Every account page a client meets and every account email, in the studio's own words: "Inloggen" (log in),
"Account aanmaken" (sign up), "je" throughout, never allauth's stock Dutch ("Aanmelden", "Uw ...",
"Voer de e-emailadres verificatie code in"); emails carry the studio's name and its public address
(settings.SITE_URL), never the host the request came in on. English reads as English."""

import datetime as dt
import os
import re
import time
from html import unescape
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from studio.accounts import AccountAdapter
from tests.conftest import mail_code
from tests.factories import UserFactory, teacher_with_role

pytestmark = pytest.mark.django_db
User = get_user_model()

PUBLIC = "https://studio.example"  # the studio's public address in these tests (settings.SITE_URL)
PASSWORD = "rustig-ademen-42"
NEW_PASSWORD = "zachte-ochtend-91"
STOCK_PHRASES = ["Aanmelden", "aanmelden", "Aanmeld", "aanmeld", "e-emailadres", "Bevestigings e-mail", "Uw ", " uw ", "U ",
                 "zijn of haar", "127.0.0.1", "localhost", "example.com", "testserver", "Onthouden", "(bevestigen)", "Huidig wachtwoord",
                 "geactiveerd", "gedeactiveerd", "gegenereerd", "Beveiligingssleutel", "Twee-factor", "tweefactor"]
ENGLISH_STOCK = ["Sign In", "Sign Up", "Signup", "sign-in code", "Sign-In", "127.0.0.1", "localhost", "example.com", "testserver",
                 "Hello from", "Thank you for using", "Remember Me", "Current Password", "New Password", "(again)", "Email:",
                 "Two-Factor", "Authenticator App", "Codes Generated", "Security Key", "app activated", "app deactivated"]
# Where the requests of the walk come from: account notices tell her (allauth's IP address and browser lines).
FROM_IP, BROWSER = "203.0.113.7", "Firefox/140.0 (Lotte's laptop)"
STAFF_MOMENT = dt.datetime(2026, 3, 10, 10, 0, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))  # 15 s into a 30 s app-code window


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(text)).strip()


def main_text(html: str) -> str:
    """The page's own part (the menu and footer are other parts of this issue)."""
    html = re.sub(r'<input type="hidden"[^>]*>', " ", html)  # tokens, not words
    main = re.search(r"<main\b.*?</main>", html, flags=re.S)
    attributes = " ".join(re.findall(r'(?:placeholder|aria-label|title|value)="([^"]*)"', main.group(0) if main else html))
    title = re.search(r"<title>(.*?)</title>", html, flags=re.S)
    return visible_text((title.group(1) if title else "") + " " + (main.group(0) if main else html)) + " " + attributes


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


class Walk:
    """One language's walk through the account pages, collecting each page's text and every email."""

    def __init__(self, language):
        self.language = language
        self.pages: dict[str, str] = {}

    def page(self, label, response, browser=None):
        if response.status_code in (301, 302):
            response = (browser or self.browser).get(response["Location"])
        assert response.status_code == 200, (label, response.status_code)
        self.pages[label] = main_text(response.content.decode())
        return response

    def get(self, label, name, browser=None, **kwargs):
        browser = browser or self.browser
        return self.page(label, browser.get(url(name, self.language, **kwargs)), browser)

    def post(self, label, name, data, browser=None, **kwargs):
        browser = browser or self.browser
        return self.page(label, browser.post(url(name, self.language, **kwargs), data), browser)


def walk_the_account_pages(lang) -> Walk:
    """Every account page (GET, a refused POST, the POST that shows the "sent" page) and every email a flow sends."""
    walk = Walk(lang)
    email = f"lotte.{lang}@example.nl"
    walk.browser = Client(REMOTE_ADDR=FROM_IP, HTTP_USER_AGENT=BROWSER)
    browser = walk.browser

    walk.get("login", "account_login")
    walk.post("login, wrong password", "account_login", {"login": email, "password": "fout"})
    walk.get("signup", "account_signup")
    walk.post("signup, passwords differ", "account_signup",
              {"first_name": "Lotte", "last_name": "Bakker", "email": email, "password1": "kort", "password2": "anders"})
    assert not User.objects.filter(email=email).exists() and mail.outbox == []
    walk.post("signup -> code sent", "account_signup",
              {"first_name": "Lotte", "last_name": "Bakker", "email": email, "password1": PASSWORD, "password2": PASSWORD})
    walk.post("verification code, wrong", "account_email_verification_sent", {"code": "ZZZZZZ"})
    code = mail_code(mail.outbox[-1])
    browser.post(url("account_email_verification_sent", lang), {"code": code})  # signed in now
    user = User.objects.get(email=email)

    walk.get("logout", "account_logout")
    walk.get("email", "account_email")
    walk.post("email change -> code sent", "account_email", {"action_add": "", "email": f"nieuw.{lang}@example.nl"})
    browser.post(url("account_email_verification_sent", lang), {"code": mail_code(mail.outbox[-1])})  # email changed notice
    walk.get("email, changed", "account_email")
    walk.get("password change", "account_change_password")
    walk.post("password change, wrong old one", "account_change_password",
              {"oldpassword": "fout", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    walk.post("password changed", "account_change_password",
              {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    walk.get("reauthenticate", "account_reauthenticate")
    browser.post(url("account_logout", lang))
    walk.page("logged out", browser.get(url("home", lang)))

    user.refresh_from_db()
    walk.get("password reset", "account_reset_password")
    walk.post("password reset, unknown address", "account_reset_password", {"email": "niemand@example.nl"})
    walk.post("password reset -> sent", "account_reset_password", {"email": user.email})
    reset_path = re.search(r"/(?:en/)?account/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    form = browser.get(reset_path)  # allauth moves the key into the session and shows the form
    walk.page("password from key", form)
    set_url = form["Location"] if form.status_code == 302 else reset_path
    walk.page("password from key -> done", browser.post(set_url, {"password1": PASSWORD, "password2": PASSWORD}))
    walk.page("password from key, used link", browser.get(reset_path))

    walk.get("login by code", "account_request_login_code")
    walk.post("login by code, unknown address", "account_request_login_code", {"email": "niemand@example.nl"})
    walk.post("login by code -> sent", "account_request_login_code", {"email": user.email})
    walk.post("login code, wrong", "account_confirm_login_code", {"code": "ZZZZZZ"})
    browser.post(url("account_confirm_login_code", lang), {"code": mail_code(mail.outbox[-1])})
    browser.post(url("account_logout", lang))

    walk.get("inactive", "account_inactive")
    with mock.patch.object(AccountAdapter, "is_open_for_signup", return_value=False):
        walk.get("signup closed", "account_signup")
    # allauth shows this page (instead of sending a code) when a view needs a confirmed address; rendered
    # here for a real request, as allauth would.
    with translation.override(lang):
        walk.pages["verified email required"] = main_text(
            render_to_string("account/verified_email_required.html", request=browser.get(url("home", lang)).wsgi_request))

    invited = UserFactory(email=f"inloop.{lang}@example.nl", language=lang)  # a walk-in: no password yet
    invited.set_unusable_password()
    invited.save()
    other = Client(REMOTE_ADDR=FROM_IP, HTTP_USER_AGENT=BROWSER)
    other.force_login(invited)
    walk.get("password set", "account_set_password", browser=other)
    walk.post("password set -> done", "account_set_password", {"password1": PASSWORD, "password2": PASSWORD}, browser=other)
    walk_the_staff_second_factor(walk)
    return walk


def app_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def walk_the_staff_second_factor(walk):
    """A teacher sets up two-step verification, makes new recovery codes and switches it off, through
    allauth's own pages; each step sends its notice after the commit, as allauth does."""
    lang = walk.language
    teacher = teacher_with_role(slug=f"docent-{lang}", user=UserFactory(email=f"docent.{lang}@example.nl", first_name="Manoek",
                                                                         language=lang, is_staff=True))
    EmailAddress.objects.update_or_create(user=teacher.user, email=teacher.user.email, defaults={"verified": True, "primary": True})
    staff = Client(REMOTE_ADDR=FROM_IP, HTTP_USER_AGENT=BROWSER)
    with time_machine.travel(STAFF_MOMENT, tick=False):
        assert staff.post(url("account_login", lang), {"login": teacher.user.email, "password": PASSWORD}).status_code == 302
        walk.get("two-step verification, off", "mfa_index", browser=staff)
        secret = walk.get("two-step verification setup", "mfa_activate_totp", browser=staff).context["form"].secret
        wrong = str((int(app_code(secret)) + 1) % 1_000_000).zfill(6)
        walk.post("two-step verification setup, wrong code", "mfa_activate_totp", {"code": wrong}, browser=staff)
        post_and_commit(walk, "two-step verification set up -> recovery codes", "mfa_activate_totp", {"code": app_code(secret)}, staff)
        walk.get("two-step verification, on", "mfa_index", browser=staff)
        # New codes and switching off ask for her password again first (allauth's reauthentication).
        assert staff.post(url("account_reauthenticate", lang), {"password": PASSWORD}).status_code == 302
        walk.get("new recovery codes", "mfa_generate_recovery_codes", browser=staff)
        post_and_commit(walk, "new recovery codes -> made", "mfa_generate_recovery_codes", {}, staff)
        walk.get("switch off two-step verification", "mfa_deactivate_totp", browser=staff)
        post_and_commit(walk, "two-step verification switched off", "mfa_deactivate_totp", {}, staff)
    assert not Authenticator.objects.filter(user=teacher.user, type=Authenticator.Type.TOTP).exists()
    # The notes allauth shows on the next page (the one after setting up is added after the commit, so the
    # walk above never sees it), for the second factors the studio offers and those it does not.
    with translation.override(lang):
        for note in ("totp_activated", "totp_deactivated", "recovery_codes_generated", "webauthn_added", "webauthn_removed"):
            walk.pages[f"note {note}"] = render_to_string(f"mfa/messages/{note}.txt").strip()


def post_and_commit(walk, label, name, data, browser):
    """A POST whose work allauth may finish after the commit (its notice email): in the test's transaction
    nothing commits, so such callbacks run here, in the context of the request they came from."""
    from allauth.core import context

    with TestCase.captureOnCommitCallbacks() as callbacks:
        response = browser.post(url(name, walk.language), data)
    assert response.status_code == 302, (label, response.status_code)
    with context.request_context(response.wsgi_request), translation.override(walk.language):
        for callback in callbacks:
            callback()
    walk.page(label, response, browser)


def send_the_emails_no_flow_sends_here(language):
    """allauth sends these only with settings the studio does not use (address enumeration prevented,
    a second address removed): rendered through the adapter as allauth would."""
    from allauth.account.adapter import get_adapter
    from allauth.account.internal import flows
    from allauth.core import context
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")  # no browser named
    request.user = UserFactory(email=f"wie.{language}@example.nl", language=language)
    with context.request_context(request), translation.override(language):
        adapter = get_adapter(request)
        adapter.send_account_already_exists_mail(request.user.email)
        flows.signup.send_unknown_account_mail(request, "onbekend@example.nl")
        adapter.send_notification_mail("account/email/email_deleted", request.user, {"deleted_email": "oud@example.nl"})
        adapter.send_notification_mail("account/email/email_confirm", request.user)
        # A security key (WebAuthn) is not among the second factors the studio offers (MFA_SUPPORTED_TYPES).
        adapter.send_notification_mail("mfa/email/webauthn_added", request.user)
        adapter.send_notification_mail("mfa/email/webauthn_removed", request.user)


def dump(walk, mails):
    folder = os.environ.get("ACCOUNT_TEXTS_DUMP")
    if not folder:
        return
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    lines = [f"## {label}\n{text}\n" for label, text in walk.pages.items()]
    lines += [f"## MAIL {message.subject}\n{message.body}\n" for message in mails]
    (path / f"{walk.language}.txt").write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def public_site(settings):
    settings.SITE_URL = PUBLIC
    settings.ACCOUNT_RATE_LIMITS = False


def every_account_email_and_page(language):
    walk = walk_the_account_pages(language)
    send_the_emails_no_flow_sends_here(language)
    dump(walk, mail.outbox)
    return walk.pages, list(mail.outbox)


def mail_text(message) -> str:
    return f"{message.subject}\n{message.body}"


def test_every_account_page_and_email_speaks_the_studios_dutch(public_site):
    pages, mails = every_account_email_and_page("nl")
    assert len(pages) >= 25 and len(mails) == 17
    found = {where: [phrase for phrase in STOCK_PHRASES if phrase in text]
             for where, text in [*pages.items(), *((f"email {m.subject}", mail_text(m)) for m in mails)]}
    assert not {where: phrases for where, phrases in found.items() if phrases}
    assert "Inloggen" in pages["login"] and "Account aanmaken" in pages["login"] + pages["signup"]
    assert "Account aanmaken" in pages["signup"] and "Inloggen met een code" in pages["login by code"]
    for page in ("signup -> code sent", "email change -> code sent", "login by code -> sent"):
        assert "Vul de code in die we je mailden" in pages[page], page
    assert "Uitloggen" in pages["logout"]
    assert "Deze code klopt niet" in pages["verification code, wrong"]
    assert "Een account aanmaken kan nu niet" in pages["signup closed"]
    assert "Bevestig je e-mailadres" in pages["verified email required"]
    assert "E-mailadres: Wachtwoord: Wachtwoord vergeten? Ingelogd blijven op dit apparaat:" in pages["login"]
    assert "Je huidige wachtwoord:" in pages["password change"] and "Herhaal je nieuwe wachtwoord:" in pages["password change"]
    assert "Herhaal je wachtwoord:" in pages["signup"] and "Herhaal je wachtwoord:" in pages["password set"]
    assert "Tweestapsverificatie staat uit." in pages["two-step verification switched off"]
    assert pages["note totp_activated"] == "Tweestapsverificatie staat aan. Bewaar je herstelcodes op een veilige plek."
    second_factor = {m.subject.removeprefix("[Studio Tree of Life] "): m.body for m in mails if m.to == ["docent.nl@example.nl"]}
    assert "Tweestapsverificatie staat nu aan: bij het inloggen vragen we voortaan ook om een code" in second_factor[
        "Tweestapsverificatie staat aan"]
    assert "De codes die je eerder had, werken niet meer." in second_factor["Je hebt nieuwe herstelcodes"]
    assert "bij het inloggen vragen we nu alleen om je wachtwoord" in second_factor["Tweestapsverificatie staat uit"]
    assert all("Hallo Manoek," in body and "Was jij het niet?" in body for body in second_factor.values())


def test_every_account_email_names_the_studio_and_links_to_its_public_address(public_site):
    _pages, mails = every_account_email_and_page("nl")
    subjects = [message.subject for message in mails]
    assert subjects == [f"[Studio Tree of Life] {subject}" for subject in [
        "Je code om je account aan te maken", "Je code om je e-mailadres te bevestigen", "Je e-mailadres is gewijzigd",
        "Je wachtwoord is gewijzigd", "Kies een nieuw wachtwoord", "Je wachtwoord is gewijzigd", "Je inlogcode",
        "Je wachtwoord is ingesteld", "Tweestapsverificatie staat aan", "Je hebt nieuwe herstelcodes",
        "Tweestapsverificatie staat uit", "Je hebt al een account bij ons", "We hebben geen account met dit adres",
        "Er is een e-mailadres weggehaald", "Je e-mailadres is bevestigd", "Er is een beveiligingssleutel toegevoegd",
        "Er is een beveiligingssleutel weggehaald"]]
    for message in mails:
        assert "Studio Tree of Life" in message.body and f"\n{PUBLIC}/\n" in message.body, message.subject  # the footer
        links = re.findall(r"https?://\S+", message.body)
        assert links and all(link.startswith(PUBLIC + "/") for link in links), (message.subject, links)
        assert "testserver" not in message.body and "je" in message.body.lower().split(), message.subject


def test_the_emailed_links_work_on_the_public_address(public_site):
    """The link in the reset email is the studio's own page, only on its public host."""
    user = UserFactory(email="sanne@example.nl")
    Client().post(url("account_reset_password", "nl"), {"email": user.email})
    link = re.search(rf"{re.escape(PUBLIC)}(/account/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link and Client().get(link.group(1)).status_code == 302  # allauth keeps the key and shows the form


def test_english_account_pages_and_emails_read_as_english(public_site):
    pages, mails = every_account_email_and_page("en")
    assert len(pages) >= 25 and len(mails) == 17
    found = {where: [phrase for phrase in [*ENGLISH_STOCK, "Inloggen", "Uitloggen", "je "] if phrase in text]
             for where, text in [*pages.items(), *((f"email {m.subject}", mail_text(m)) for m in mails)]}
    assert not {where: phrases for where, phrases in found.items() if phrases}
    assert "Log in" in pages["login"] and "Create an account" in pages["signup"]
    assert "Enter the code we emailed you" in pages["signup -> code sent"]
    assert all(link.startswith(PUBLIC + "/en/") for message in mails for link in re.findall(r"https?://\S+", message.body)
               if "/account/" in link)
    assert all(f"\n{PUBLIC}/en/\n" in message.body for message in mails)  # the footer sends her to the English site
    assert "Creating an account is closed" in pages["signup closed"] and "Confirm your email address" in pages["verified email required"]
    assert "Email address: Password: Forgot your password? Keep me logged in on this device:" in pages["login"]
    assert "Your current password: Forgot your password? New password:" in pages["password change"]
    assert "Repeat your new password:" in pages["password change"] and "Repeat your password:" in pages["signup"]


@pytest.mark.parametrize(("language", "from_ip", "browser"), [
    ("nl", "Vanaf het internetadres (IP): 203.0.113.7", "Met de browser of app: Firefox/140.0 (Lotte's laptop)"),
    ("en", "From the internet address (IP): 203.0.113.7", "With the browser or app: Firefox/140.0 (Lotte's laptop)")])
def test_a_notice_of_a_change_says_where_it_came_from(public_site, language, from_ip, browser):
    """allauth's notices name the address and browser the change came from, so she can tell it was her."""
    _pages, mails = every_account_email_and_page(language)
    notices = [message for message in mails if "Er is net iets veranderd" in message.body or "A change was just made" in message.body]
    assert len(notices) >= 4
    made_in_the_walk = [message for message in notices if from_ip in message.body]
    assert len(made_in_the_walk) >= 3 and all(browser in message.body for message in made_in_the_walk)
    # A notice without a browser (one sent outside a visit) leaves the line out rather than saying "Unspecified".
    assert not any("Unspecified" in message.body for message in notices)


def choose_the_first_password(language, person):
    """She follows the link in the walk-in's invitation and chooses her password."""
    from bookings.group.invitations import set_password_url

    with translation.override(language):
        path = urlsplit(set_password_url(person)).path
    browser = Client(REMOTE_ADDR=FROM_IP, HTTP_USER_AGENT=BROWSER)
    form = browser.get(path, follow=True)
    assert 'name="password1"' in form.content.decode()
    done = browser.post(form.redirect_chain[-1][0] if form.redirect_chain else path, {"password1": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    return [message for message in mail.outbox if message.to == [person.email]]


@pytest.mark.parametrize(("language", "subject", "welcome"), [
    ("nl", "Je wachtwoord is ingesteld", "Welkom! Je wachtwoord is ingesteld, dus je account is klaar."),
    ("en", "Your password has been set", "Welcome! Your password is set, so your account is ready.")])
def test_a_walk_in_who_chooses_her_first_password_is_welcomed_not_alarmed(public_site, language, subject, welcome):
    """The teacher made her account; the invitation's link is a password reset link. Choosing her first
    password is no change she must be warned about ("Was jij het niet?"): she never logged in."""
    walk_in = UserFactory(email=f"noor.{language}@example.nl", first_name="Noor", language=language, last_login=None)
    walk_in.set_unusable_password()
    walk_in.save()
    [message] = choose_the_first_password(language, walk_in)
    assert message.subject == f"[Studio Tree of Life] {subject}"
    assert welcome in message.body and "Noor" in message.body
    login = url("account_login", language)
    assert f"{PUBLIC}{login}\n" in message.body
    for alarm in ("Was jij het niet", "Er is net iets veranderd", "Was it not you", "A change was just made"):
        assert alarm not in message.body


def test_someone_who_logged_in_before_still_hears_of_a_password_reset(public_site):
    sanne = UserFactory(email="sanne.reset@example.nl", language="nl")
    Client().force_login(sanne)  # she has logged in before
    sanne.refresh_from_db()
    assert sanne.last_login is not None
    [message] = choose_the_first_password("nl", sanne)
    assert message.subject == "[Studio Tree of Life] Je wachtwoord is gewijzigd"
    assert "Was jij het niet?" in message.body and "Vanaf het internetadres (IP): 203.0.113.7" in message.body


def test_a_password_like_her_name_is_refused_in_her_words(client):
    response = client.post(url("account_signup", "nl"), {"first_name": "Lotte", "last_name": "Bakker", "email": "lotte.bakker@example.nl",
                                                           "password1": "lottebakker", "password2": "lottebakker"})
    assert "Dit wachtwoord lijkt te veel op je naam of e-mailadres." in response.content.decode()
    assert not User.objects.filter(email="lotte.bakker@example.nl").exists() and mail.outbox == []
    response = client.post(url("account_signup", "nl"), {"first_name": "Lotte", "last_name": "Bakker", "email": "lotte.bakker@example.nl",
                                                           "password1": "1234567890123", "password2": "1234567890123"})
    html = response.content.decode()
    assert "Dit wachtwoord is alleen cijfers." in html and "Uw " not in html
    assert not User.objects.filter(email="lotte.bakker@example.nl").exists()


def test_the_deploy_check_wants_the_public_https_address(settings):
    from studio.accounts import check_public_address

    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [warning.id for warning in check_public_address()] == ["studio.W001"]
    settings.SITE_URL = "https://studiotreeoflife.nl"
    assert check_public_address() == []
