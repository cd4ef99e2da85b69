"""The lower layer never imports the upper one: `inspections` (what was found) knows
nothing of `actionplans` (what is done about it)."""

import ast
from pathlib import Path

INSPECTIONS = Path(__file__).resolve().parents[1] / "inspections"


def test_inspections_never_imports_actionplans():
    offenders = []
    for path in INSPECTIONS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.name}: {name}" for name in names if name.startswith("actionplans")
            ]
    assert offenders == []
