"""Test modules stand alone (issue 14): what several of them share lives in a helper
module under tests/ or in a conftest fixture, never in another test module, so that a
test module can be run, moved or deleted on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parent


def _imported(path: Path) -> set[str]:
    """The modules ``path`` imports (``from tests.cli import x`` counts as ``tests.cli.x``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize(
    "path", sorted(TESTS.rglob("test_*.py")), ids=lambda p: str(p.relative_to(TESTS))
)
def test_no_test_module_imports_another(path: Path) -> None:
    others = {
        name
        for name in _imported(path)
        if name.split(".")[-1].startswith("test_") and name.split(".")[0] in {"tests", name}
    }
    assert not others, (
        f"{path.relative_to(TESTS)} imports {sorted(others)}: move what they share to a helper"
    )
