"""After `makemessages`: make the English catalogue the identity of its (English) source
texts, and list Dutch texts that still need a translation.

Run through `make messages`. Exit code 1 when Dutch translations are missing or fuzzy.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def fill_english(path: Path) -> int:
    catalogue = polib.pofile(str(path))
    changed = 0
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            wanted = {0: entry.msgid, 1: entry.msgid_plural}
            if entry.msgstr_plural != wanted:
                entry.msgstr_plural = wanted
                changed += 1
        elif entry.msgstr != entry.msgid:
            entry.msgstr = entry.msgid
            changed += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            changed += 1
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    catalogue.save()
    return changed


def missing_dutch(path: Path) -> list[str]:
    catalogue = polib.pofile(str(path))
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        empty = not entry.msgstr if not entry.msgid_plural else not all(entry.msgstr_plural.values())
        if empty or "fuzzy" in entry.flags:
            missing.append(entry.msgid)
    return missing


def main() -> int:
    changed = fill_english(ROOT / "locale/en/LC_MESSAGES/django.po")
    print(f"English catalogue: {changed} entries filled.")
    missing = missing_dutch(ROOT / "locale/nl/LC_MESSAGES/django.po")
    for msgid in missing:
        print(f"  Dutch missing or fuzzy: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
