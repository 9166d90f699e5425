"""Every text a user reads exists in Dutch and English: no empty or fuzzy entries
after extracting the messages afresh from the code and templates."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ["studio", "classes", "bookings", "blog", "core", "templates", "locale"]


@pytest.fixture
def fresh_catalogues(tmp_path, settings, monkeypatch):
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["nl", "en"], no_obsolete=True, verbosity=0)
    return {code: polib.pofile(str(tmp_path / "locale" / code / "LC_MESSAGES" / "django.po")) for code in ("nl", "en")}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_message_is_empty_or_fuzzy(fresh_catalogues, language):
    catalogue = fresh_catalogues[language]
    assert len(catalogue) > 50
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{language}: untranslated texts (run `make messages` and translate them)"
    assert fuzzy == [], f"{language}: fuzzy texts (check and confirm them)"


def test_committed_catalogues_match_the_code(fresh_catalogues):
    committed = polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po"))
    assert {e.msgid for e in fresh_catalogues["nl"]} == {e.msgid for e in committed if not e.obsolete}
