"""The shared PDF base sits below every app that prints: it may use the lowest
app's text helpers and nothing else from the apps, and the three renderers
are built on it instead of each registering fonts their own way."""

import ast
from pathlib import Path

import pytest

from certificates.rendering import CertificateRenderer
from config.pdf.base import PDFRenderer
from reports.pdf import ReportPDF
from trainings.sheet import SignInSheet

BASE_DIR = Path(__file__).resolve().parent.parent
APPS = {"cadres", "courses", "assessments", "trainings", "certificates", "reports"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_the_pdf_base_imports_only_the_lowest_apps_text_helpers():
    imported = set()
    for path in (BASE_DIR / "config" / "pdf").glob("*.py"):
        imported |= {name for name in _imports(path) if name.split(".")[0] in APPS}
    assert imported == {"cadres.text"}


@pytest.mark.parametrize(
    "module", ["trainings/sheet.py", "reports/pdf.py", "certificates/rendering.py"]
)
def test_no_renderer_reaches_into_another_apps_files_for_fonts(module):
    source = (BASE_DIR / module).read_text()
    assert "certificates/fonts" not in source and '"fonts"' not in source
    assert "registerFont" not in source
    assert "certificates import fonts" not in source


@pytest.mark.parametrize("renderer", [CertificateRenderer, ReportPDF, SignInSheet])
def test_every_renderer_is_built_on_the_shared_base(renderer):
    assert issubclass(renderer, PDFRenderer)


def test_markup_and_decomposed_text_are_escaped_and_composed():
    decomposed = "Nguye\u0302\u0303n <b>Ho\u0300a</b> & co"
    assert PDFRenderer.escaped(decomposed) == "Nguy\u1ec5n &lt;b&gt;H\u00f2a&lt;/b&gt; &amp; co"
