"""Each self-hosted font's licence names its real copyright holder (the OFL's first line must)."""

from pathlib import Path

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"


def first_line(name):
    return (FONTS / name).read_text(encoding="utf-8").splitlines()[0]


def test_source_sans_3_is_adobes():
    assert first_line("OFL-source-sans-3.txt") == (
        "Copyright 2010-2020 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.")
    assert "Google" not in (FONTS / "OFL-source-sans-3.txt").read_text(encoding="utf-8")


def test_lora_is_the_lora_project_authors():
    assert first_line("OFL-lora.txt").startswith(
        'Copyright 2011 The Lora Project Authors (https://github.com/cyrealtype/Lora-Cyrillic), with Reserved Font Name "Lora".')
