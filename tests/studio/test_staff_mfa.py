"""Staff log in with a second factor (allauth.mfa: an authenticator app and recovery codes).

With STAFF_MFA_REQUIRED (always on in production) a teacher or admin without an authenticator app is
sent to set one up and gets no staff page until she has; once set up, every login asks for the code.
Clients log in with their password alone. The demo and the other tests run with it off."""

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.urls import reverse

from tests import factories
from tests.conftest import mail_code
from tests.production import production_env

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 3, 10, 10, 0, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))  # 15 s into a 30 s code window
PASSWORD = "rustig-ademen-42"
SETUP = reverse("mfa_activate_totp")
CODE_STEP = reverse("mfa_authenticate")


@pytest.fixture
def required(settings, frozen):
    settings.STAFF_MFA_REQUIRED = True
    return frozen


@pytest.fixture(params=["teacher", "admin", "superuser"])
def staff(request, db):
    if request.param == "teacher":
        return factories.teacher_with_role().user
    if request.param == "admin":
        return request.getfixturevalue("admin_person")
    return factories.UserFactory(email="eigenaar@example.nl", is_staff=True, is_superuser=True)


def log_in(client, user):
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def set_up_app(client) -> str:
    """Walk through the setup page as the signed-in staff member; returns the app's secret."""
    page = client.get(SETUP)
    assert page.status_code == 200
    secret = page.context["form"].secret
    done = client.post(SETUP, {"code": current_code(secret)})
    assert done.status_code == 302 and done["Location"] == reverse("mfa_view_recovery_codes")
    return secret


def staff_pages(user):
    client_with_intake = factories.UserFactory(email="intake@example.nl")
    return ["/lesgeven/", reverse("bookings:reports"), "/admin/", reverse("intake:teacher", args=[client_with_intake.pk])]


def test_production_requires_a_second_factor_and_the_demo_does_not():
    probe = "import django; django.setup(); from django.conf import settings; print(settings.STAFF_MFA_REQUIRED, 'allauth.mfa' in settings.INSTALLED_APPS)"
    env = {**production_env(), "DJANGO_SETTINGS_MODULE": "studio.settings"}
    production = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert production.returncode == 0, production.stderr
    assert production.stdout.split()[-2:] == ["True", "True"]
    # Production cannot switch it off; the demo (DEBUG) has it off unless asked for.
    refused = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env={**env, "STAFF_MFA_REQUIRED": "false"},
                             capture_output=True, text=True)
    assert refused.stdout.split()[-2] == "True"
    demo = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env={**env, "DJANGO_DEBUG": "true"}, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.split()[-2] == "False"


def test_staff_without_an_app_are_sent_to_set_it_up_and_get_no_staff_page(client, required, staff):
    log_in(client, staff)
    for url in staff_pages(staff):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == SETUP, url
    page = client.get(SETUP)
    html = page.content.decode()
    assert "Tweestapsverificatie instellen" in html and 'class="mfa-qr"' in html
    assert "Medewerkers loggen in met tweestapsverificatie" in html  # why she is here
    assert not Authenticator.objects.filter(user=staff).exists()


def test_a_client_made_a_teacher_is_asked_for_an_app_on_her_next_page(client, required, client_user):
    log_in(client, client_user)
    assert client.get(reverse("bookings:my_bookings")).status_code == 200  # her role, "client", is remembered now
    client_user.groups.add(Group.objects.get_or_create(name="Teacher")[0])  # the admin gives her the Teacher role
    response = client.get(reverse("bookings:my_bookings"))
    assert response.status_code == 302 and response["Location"] == SETUP


def test_an_htmx_request_of_staff_without_an_app_reloads_the_whole_page_to_the_setup(client, required, teacher_user):
    log_in(client, teacher_user)
    response = client.get("/lesgeven/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == SETUP


def test_a_wrong_setup_code_is_refused_and_nothing_is_saved(client, required, teacher_user):
    log_in(client, teacher_user)
    secret = client.get(SETUP).context["form"].secret
    wrong = str((int(current_code(secret)) + 1) % 1_000_000).zfill(6)
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "Die code klopt niet" in response.content.decode()
    assert not Authenticator.objects.filter(user=teacher_user).exists()
    assert client.get("/lesgeven/")["Location"] == SETUP


def test_after_setting_up_the_app_staff_pages_open_and_the_next_login_asks_for_the_code(client, required, teacher_user):
    log_in(client, teacher_user)
    secret = set_up_app(client)
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200 and "Herstelcodes" in codes.content.decode()
    assert Authenticator.objects.filter(user=teacher_user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/lesgeven/").status_code == 200

    client.post("/account/logout/")
    assert log_in(client, teacher_user)["Location"] == CODE_STEP
    assert client.get("/lesgeven/").status_code == 302  # not logged in until the code is given
    step = client.get(CODE_STEP)
    assert "Tweestapsverificatie" in step.content.decode()
    wrong = client.post(CODE_STEP, {"code": "000000" if current_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Die code klopt niet. Vul de 6 cijfers in die je app nu laat zien." in wrong.content.decode()
    assert client.get("/lesgeven/").status_code == 302

    right = client.post(CODE_STEP, {"code": current_code(secret)})
    assert right.status_code == 302 and right["Location"] == reverse("bookings:teacher_overview")
    assert client.get("/lesgeven/").status_code == 200


def test_a_login_by_emailed_code_asks_staff_for_the_app_code_too(client, required, teacher_user, mailoutbox):
    log_in(client, teacher_user)
    secret = set_up_app(client)
    client.post("/account/logout/")

    response = client.post("/account/login/code/", {"email": teacher_user.email})
    confirm = client.post(response["Location"], {"code": mail_code(mailoutbox[-1])})
    assert confirm.status_code == 302 and confirm["Location"] == CODE_STEP
    assert client.get("/lesgeven/").status_code == 302
    assert client.post(CODE_STEP, {"code": current_code(secret)}).status_code == 302
    assert client.get("/lesgeven/").status_code == 200


def test_a_recovery_code_logs_in_once(client, required, admin_person):
    log_in(client, admin_person)
    set_up_app(client)
    code = Authenticator.objects.get(user=admin_person, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()[0]
    client.post("/account/logout/")

    log_in(client, admin_person)
    assert client.post(CODE_STEP, {"code": code}).status_code == 302
    assert client.get(reverse("bookings:reports")).status_code == 200
    client.post("/account/logout/")

    log_in(client, admin_person)
    again = client.post(CODE_STEP, {"code": code})
    assert again.status_code == 200 and "Die code klopt niet" in again.content.decode()
    assert client.get(reverse("bookings:reports")).status_code == 302


def test_a_client_logs_in_with_her_password_alone(client, required, client_user):
    response = log_in(client, client_user)
    assert response["Location"] == reverse("profile")
    profile = client.get(reverse("profile"))
    assert profile.status_code == 200
    assert reverse("mfa_index") not in profile.content.decode()  # never asked, not even offered


def test_staff_find_two_step_verification_on_their_account_page(client, required, teacher_user):
    log_in(client, teacher_user)
    set_up_app(client)
    profile = client.get(reverse("profile")).content.decode()
    assert f'<a href="{reverse("mfa_index")}">Tweestapsverificatie</a>' in profile
    overview = client.get(reverse("mfa_index")).content.decode()
    assert "Aan: bij het inloggen vraagt de site om een code uit je app." in overview


def test_with_the_rule_off_demo_staff_work_without_a_second_factor(client, settings, teacher_user):
    settings.STAFF_MFA_REQUIRED = False
    log_in(client, teacher_user)
    assert client.get("/lesgeven/").status_code == 200


def test_switching_the_app_off_later_asks_for_the_password_again(client, required, teacher_user):
    log_in(client, teacher_user)
    set_up_app(client)
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=teacher_user, type=Authenticator.Type.TOTP).exists()


def test_right_after_the_login_only_setting_up_is_spared_the_password(client, required, teacher_user):
    """The login's minutes spare her the password for her first app and its codes, not for switching it off."""
    log_in(client, teacher_user)
    set_up_app(client)
    off = client.get(reverse("mfa_deactivate_totp"))
    assert off.status_code == 302 and off["Location"].startswith(reverse("account_reauthenticate"))
    new_codes = client.get(reverse("mfa_generate_recovery_codes"))
    assert new_codes.status_code == 302 and new_codes["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_teacher_sets_up_her_app_in_chromium_without_console_errors(page, live_server, settings):
    settings.STAFF_MFA_REQUIRED = True
    settings.MFA_TOTP_TOLERANCE = 1  # the code is read from the real clock here: a window that just closed still counts
    teacher = factories.teacher_with_role().user
    errors = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    page.goto("/account/login/")
    page.locator("#id_login").fill(teacher.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_url(f"**{SETUP}")
    assert page.get_by_role("heading", level=1).inner_text() == "Tweestapsverificatie instellen"
    assert page.locator("img.mfa-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    page.goto("/lesgeven/")
    page.wait_for_url(f"**{SETUP}")  # the back office stays closed

    page.locator("summary").click()
    secret = page.locator("#authenticator_secret").inner_text()
    page.get_by_label("Code uit de app").fill(current_code(secret))
    page.get_by_role("button", name="Aanzetten").click()
    page.wait_for_url(f"**{reverse('mfa_view_recovery_codes')}")
    assert page.locator(".mfa-codes li").count() == 10
    page.get_by_role("link", name="Door naar de backoffice").click()
    page.wait_for_url("**/lesgeven/")
    assert not errors, "\n".join(errors)
