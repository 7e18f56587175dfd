"""Apps depend one way (README): cadres → courses → assessments → trainings →
certificates → reports. An app reaches a later one only through what the later
one registers with it (``courses.requirements``, signals), never by import."""

import ast
from pathlib import Path

ORDER = ["cadres", "courses", "assessments", "trainings", "certificates", "reports"]
ROOT = Path(__file__).resolve().parent.parent


def _later_app_imports(app: str, source: str) -> list[str]:
    """The modules of later apps that ``source`` (a module of ``app``) imports,
    at the top or inside a function."""
    later = set(ORDER[ORDER.index(app) + 1 :])
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in later]
    return found


def test_no_app_imports_an_app_later_in_the_order():
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for app in ORDER
        for path in sorted((ROOT / app).rglob("*.py"))
        for name in _later_app_imports(app, path.read_text(encoding="utf-8"))
    ]
    assert wrong == []


def test_an_import_of_a_later_app_is_caught_even_inside_a_function():
    source = (
        "from cadres.models import Cadre\n"
        "def f():\n"
        "    from assessments.models import Quiz\n"
        "    import reports.selectors\n"
    )
    assert _later_app_imports("courses", source) == ["assessments.models", "reports.selectors"]
