"""The house's shape is enforced: the import contracts in pyproject.toml hold (`lint-imports`),
and each kind of wrong import breaks one: a purpose importing another, payments naming a purpose,
an import circle, a view importing a view, anything importing devtools."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["studio", "blog", "bookings", "classes", "core", "devtools"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def house(tmp_path) -> Path:
    """A copy of the code (no tests, no data) to break on purpose."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(house: Path, module: str, line: str) -> None:
    path = house / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("bookings.group.services", "from bookings.personal import programmes", "Inside bookings"),
    ("bookings.personal.programmes", "from bookings.group import services", "Inside bookings"),
    ("bookings.payments.fulfilment", "from bookings.group import services", "Inside bookings"),
    ("bookings.places", "from bookings.payments import refunds", "Inside bookings"),
    ("core.money", "from core import privacy", "No import circles"),
    ("bookings.group.teacher_views", "from bookings.group import views", "A view module is imported only by its URL configuration"),
    ("classes.services", "from bookings import places", "Floors"),
    ("blog.selectors", "from bookings.group import selectors", "Floors"),
    ("bookings.payments.gateway", "from devtools import fakestripe", "Nothing imports devtools"),
])
def test_a_wrong_import_breaks_a_contract(house, module, line, contract):
    assert lint_imports(house).returncode == 0  # the copy holds, as the code does
    add_import(house, module, line)
    result = lint_imports(house)
    assert result.returncode != 0
    assert "Broken contracts" in result.stdout, result.stdout
    assert contract in result.stdout.split("Broken contracts", 1)[1], result.stdout
