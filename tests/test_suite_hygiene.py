"""The suite's own hygiene, read from the source with `ast` (no database, no servers):

- every test checks something: an `assert`, `pytest.raises` / `warns` / `fail`, a query-count context
  manager, Playwright's `expect(...)`, a `*.assert*()` call, or a call to a helper that does one of
  these (helpers defined in the same module, imported from the tests' own helper modules or conftest
  files, or a fixture of a conftest that hands back such a helper; followed transitively);
- no module of the suite imports a test module (`test_*.py`): what tests share lives in a conftest.py
  or a helper module;
- no fixture is copied word for word into a second module (near-copies take a person's eye; the
  nearest common conftest.py is their home).

Each check is also fed a small piece of bad source, to show that it bites.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

# Calls that are an assertion by themselves, by their qualified name.
ASSERTING_CALLS = {
    "pytest.raises", "pytest.warns", "pytest.fail", "pytest.deprecated_call",
    "django_assert_num_queries", "django_assert_max_num_queries",
    "playwright.sync_api.expect", "playwright.async_api.expect",
}


def suite_sources() -> dict[str, str]:
    """Every Python file of the suite, by its path from the project root."""
    return {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in sorted(TESTS.rglob("*.py"))}


def is_test_module(path: str) -> bool:
    return Path(path).name.startswith("test_")


def is_fixture(node: ast.FunctionDef) -> bool:
    return any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list)


class Module:
    def __init__(self, path: str, source: str):
        self.path = path
        parts = list(Path(path).with_suffix("").parts)
        self.is_package = parts[-1] == "__init__"
        if self.is_package:
            parts = parts[:-1]
        self.name = ".".join(parts)
        self.package = self.name if self.is_package else self.name.rpartition(".")[0]
        self.tree = ast.parse(source, filename=path)
        self.functions: dict[str, ast.FunctionDef] = {}
        self.fixtures: dict[str, ast.FunctionDef] = {}
        self.imports: dict[str, str] = {}  # local name -> qualified name
        self.imported_modules: list[tuple[int, str]] = []  # (line, module or module.name) of every import
        for node in self.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name] = node
                if is_fixture(node):
                    self.fixtures[node.name] = node
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.imports[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
                    self.imported_modules.append((node.lineno, alias.name))
            elif isinstance(node, ast.ImportFrom):
                base = self.absolute(node.module, node.level)
                self.imported_modules.append((node.lineno, base))
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = f"{base}.{alias.name}"
                    self.imported_modules.append((node.lineno, f"{base}.{alias.name}"))

    def absolute(self, module: str | None, level: int) -> str:
        if not level:
            return module or ""
        base = self.package.split(".")
        if level > 1:
            base = base[: -(level - 1)]
        return ".".join(base + ([module] if module else []))

    def tests(self):
        """The test functions of a test module: `test*` at the top and in `Test*` classes."""
        if not is_test_module(self.path):
            return
        for node in self.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                yield node.name, node
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                        yield f"{node.name}::{item.name}", item


class Survey:
    """The suite read as a whole: which helpers assert, which tests do not, which imports cross."""

    def __init__(self, sources: dict[str, str]):
        self.modules = {module.name: module for module in (Module(path, source) for path, source in sources.items())}
        self.asserting: set[tuple[str, str]] = set()
        self._settle()

    # Resolving names -----------------------------------------------------------------------

    def qualified(self, node: ast.expr, module: Module) -> str | None:
        if isinstance(node, ast.Name):
            return module.imports.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualified(node.value, module)
            return f"{base}.{node.attr}" if base else None
        return None

    def conftests_for(self, module: Module):
        """The conftest modules whose fixtures the module sees: its own package's and every one above."""
        package = module.package.split(".")
        for depth in range(len(package), 0, -1):
            conftest = self.modules.get(".".join(package[:depth] + ["conftest"]))
            if conftest is not None:
                yield conftest

    def callee(self, call: ast.Call, module: Module, scope: set[str]) -> tuple[str, str] | None:
        """The (module, function) a call goes to, when it is a helper or fixture of the suite."""
        func = call.func
        if isinstance(func, ast.Name):
            if func.id in scope:  # a fixture handed in: the fixture's own body says what calling it does
                for owner in (module, *self.conftests_for(module)):
                    if func.id in owner.fixtures:
                        return owner.name, func.id
                return None
            if func.id in module.functions:
                return module.name, func.id
        qualified = self.qualified(func, module)
        if qualified and "." in qualified:
            owner, _, name = qualified.rpartition(".")
            if owner in self.modules and name in self.modules[owner].functions:
                return owner, name
        return None

    # Which functions assert ----------------------------------------------------------------

    def asserts(self, function: ast.FunctionDef, module: Module) -> bool:
        scope = {arg.arg for arg in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
        for node in ast.walk(function):
            if isinstance(node, ast.Assert):
                return True
            if isinstance(node, ast.Raise) and node.exc is not None:
                raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(raised, ast.Name) and raised.id == "AssertionError":
                    return True
            if isinstance(node, ast.Call):
                if isinstance(node.func, ast.Attribute) and node.func.attr.startswith("assert"):
                    return True  # self.assertEqual, mock.assert_called_once_with, ...
                qualified = self.qualified(node.func, module)
                if qualified in ASSERTING_CALLS:
                    return True
                if isinstance(node.func, ast.Call) and self.qualified(node.func.func, module) in ASSERTING_CALLS:
                    return True  # expect(locator).to_have_text(...)
                if self.callee(node, module, scope) in self.asserting:
                    return True
        return False

    def _settle(self):
        changed = True
        while changed:
            changed = False
            for module in self.modules.values():
                for name, function in module.functions.items():
                    key = (module.name, name)
                    if key not in self.asserting and self.asserts(function, module):
                        self.asserting.add(key)
                        changed = True

    # The findings --------------------------------------------------------------------------

    def tests_without_assertions(self) -> list[str]:
        return [f"{module.path}::{name}" for module in self.modules.values() for name, function in module.tests()
                if not self.asserts(function, module)]

    def copied_fixtures(self) -> list[str]:
        """Fixtures defined more than once with the same name, arguments and body (docstrings aside)."""
        seen: dict[tuple[str, str], list[str]] = {}
        for module in self.modules.values():
            for name, node in module.fixtures.items():
                body = node.body[1:] if ast.get_docstring(node) else node.body
                shape = ast.dump(node.args) + "".join(ast.dump(statement) for statement in body)
                seen.setdefault((name, shape), []).append(module.path)
        return sorted(f"{name}: {', '.join(paths)}" for (name, _), paths in seen.items() if len(paths) > 1)

    def test_module_imports(self) -> list[str]:
        found = []
        test_modules = {name for name, module in self.modules.items() if is_test_module(module.path)}
        for module in self.modules.values():
            for line, target in module.imported_modules:
                if target in test_modules and target != module.name:
                    found.append(f"{module.path}:{line} imports {target}")
        return sorted(set(found))


def test_every_test_asserts_something():
    missing = Survey(suite_sources()).tests_without_assertions()
    assert not missing, "tests that check nothing:\n" + "\n".join(missing)


def test_no_module_imports_a_test_module():
    crossing = Survey(suite_sources()).test_module_imports()
    assert not crossing, "shared helpers belong in a conftest.py or a helper module:\n" + "\n".join(crossing)


def test_a_shared_fixture_is_defined_once():
    copies = Survey(suite_sources()).copied_fixtures()
    assert not copies, "move these to the nearest common conftest.py:\n" + "\n".join(copies)


# The checks bite ---------------------------------------------------------------------------

HELPER = '''
import pytest

def check_page(html):
    assert "<h1>" in html

def looks_at(html):
    return "<h1>" in html

@pytest.fixture
def harmless():
    def check(html):
        assert "<script>" not in html
    return check

@pytest.fixture
def fetch(client):
    return lambda url: client.get(url)
'''

TESTS_OF_EVERY_KIND = '''
import pytest
from playwright.sync_api import expect
from tests.fake import helper
from tests.fake.helper import check_page, looks_at

def checks_twice(html):
    check_page(html)

def test_asserts():
    assert 1 + 1 == 2

def test_raises():
    with pytest.raises(ZeroDivisionError):
        1 / 0

def test_counts_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        pass

def test_expects(page):
    expect(page.get_by_role("heading")).to_have_text("Rooster")

def test_through_a_helper_module():
    helper.check_page("<h1>x</h1>")

def test_through_a_local_helper_that_calls_a_helper():
    checks_twice("<h1>x</h1>")

def test_through_a_conftest_fixture(harmless):
    harmless("<p>")

class TestInAClass:
    def test_method(self):
        self.assertTrue(True)

def test_NOTHING_AT_ALL(client):
    client.get("/")

def test_NOTHING_BUT_A_HELPER_THAT_ONLY_LOOKS():
    looks_at("<h1>x</h1>")

def test_NOTHING_BUT_A_FIXTURE_THAT_ONLY_FETCHES(fetch):
    for response in [fetch("/")]:
        response.status_code

def test_NOTHING_BUT_A_LOOP_OVER_NOTHING():
    for item in []:
        print(item)
'''


def fake_suite(**extra: str) -> dict[str, str]:
    return {"tests/__init__.py": "", "tests/fake/__init__.py": "", "tests/fake/conftest.py": HELPER, "tests/fake/helper.py": HELPER,
            "tests/fake/test_kinds.py": TESTS_OF_EVERY_KIND, **extra}


def test_the_assertion_check_flags_exactly_the_tests_that_check_nothing():
    flagged = Survey(fake_suite()).tests_without_assertions()
    assert flagged == [
        "tests/fake/test_kinds.py::test_NOTHING_AT_ALL",
        "tests/fake/test_kinds.py::test_NOTHING_BUT_A_HELPER_THAT_ONLY_LOOKS",
        "tests/fake/test_kinds.py::test_NOTHING_BUT_A_FIXTURE_THAT_ONLY_FETCHES",
        "tests/fake/test_kinds.py::test_NOTHING_BUT_A_LOOP_OVER_NOTHING",
    ]


def test_the_import_check_flags_a_test_module_imported_in_any_spelling():
    suite = fake_suite(**{
        "tests/fake/test_other.py": "from tests.fake.test_kinds import checks_twice\n",
        "tests/fake/test_relative.py": "from .test_kinds import checks_twice\n",
        "tests/fake/test_package.py": "from tests.fake import test_kinds\n",
        "tests/fake/test_plain.py": "import tests.fake.test_kinds\n",
        "tests/fake/test_fine.py": "from tests.fake.helper import check_page\nfrom . import helper\n",
    })
    assert Survey(suite).test_module_imports() == [
        "tests/fake/test_other.py:1 imports tests.fake.test_kinds",
        "tests/fake/test_package.py:1 imports tests.fake.test_kinds",
        "tests/fake/test_plain.py:1 imports tests.fake.test_kinds",
        "tests/fake/test_relative.py:1 imports tests.fake.test_kinds",
    ]


def test_the_fixture_check_flags_a_fixture_copied_into_two_modules():
    teacher = '''
import pytest

@pytest.fixture
def teacher(db):
    """{}"""
    return TeacherFactory()
'''
    suite = fake_suite(**{"tests/fake/test_one.py": teacher.format("Ours."), "tests/fake/test_two.py": teacher.format("Theirs."),
                          "tests/fake/test_three.py": teacher.replace("TeacherFactory()", "TeacherFactory(slug='anna')")})
    copies = [copy for copy in Survey(suite).copied_fixtures() if copy.startswith("teacher:")]
    assert copies == ["teacher: tests/fake/test_one.py, tests/fake/test_two.py"]
