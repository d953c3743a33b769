"""Rules about the repository itself: a lone clone is self-sufficient and the layers read top-down."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.fixture_paths import REPO_ROOT

PRODUCT_PACKAGES = ("common", "crawlers", "flows", "parsers", "storage")
CHECKED_FOLDERS = (*PRODUCT_PACKAGES, "tests", "benchmarks", "scripts")
# A path component that only exists beside a checkout, or an absolute path of this machine.
OUTSIDE_PATH = re.compile(r"""["'/]\.\./shared|["']shared["']|/work/|["']\.\./\.\.""")
PARENTS_INDEX = re.compile(r"Path\(__file__\)(?:\.resolve\(\))?\.parents\[(\d+)\]")


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (REPO_ROOT / folder).rglob("*.py")
                  if ".venv" not in p.parts)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_no_file_names_a_path_outside_the_repository() -> None:
    offenders = []
    for path in _python_files(*CHECKED_FOLDERS):
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8")
        for line_number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE_PATH.search(line):
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{line_number}: {line.strip()}")
            for match in PARENTS_INDEX.finditer(line):
                reached = path.resolve().parents[int(match.group(1))]
                if not reached.is_relative_to(REPO_ROOT):
                    offenders.append(f"{path.relative_to(REPO_ROOT)}:{line_number}: reaches {reached}")
    assert offenders == []


def test_the_rule_above_catches_a_path_beside_the_checkout(tmp_path: Path) -> None:
    line = 'SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"'
    assert OUTSIDE_PATH.search(line)
    assert PARENTS_INDEX.search(line)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at top level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _product_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in _python_files(*PRODUCT_PACKAGES)}
    return {name: {m for m in _imports(path) if m in modules and m != name}
            for name, path in modules.items()}


def test_no_product_module_imports_the_tests() -> None:
    offenders = {name for name, path in
                 ((_module_name(p), p) for p in _python_files(*PRODUCT_PACKAGES))
                 if any(m == "tests" or m.startswith("tests.") for m in _imports(path))}
    assert offenders == set()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), ignoring package __init__ edges."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_product_modules_import_without_circles() -> None:
    graph = _product_graph()
    # A package's __init__ re-exporting its own submodules is not a circle between layers.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not (name.startswith(t + ".") and t in graph)}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
