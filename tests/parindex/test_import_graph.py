"""The layout's promise (../shared/STYLE.md): data flows one way and no module of the
project imports one that depends on it, counting imports inside functions too."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# The flow, earliest first: an app may import apps of a lower rank, never of a higher one.
# Apps of the same rank do not import each other. The kernel imports no app; the project
# package (settings, URLs, home pages) sits on top of everything.
RANKS = {
    "kernel": 0,
    "units": 1,
    "criteria": 2,
    "evidence": 3,
    "surveys": 3,
    "appraisal": 4,
    "reports": 5,
    # Reminders read the year's lifecycle, the units' progress and the appraisers' queues.
    "notifications": 5,
    # People in bulk and their activation: units, the criteria trees' area codes, and their
    # emails sent through the notifications outbox (which asks accounts to compose them
    # through the composer accounts registers at start-up).
    "accounts": 6,
    "exchange": 6,
    "demo": 7,
    "parindex": 8,
}


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in RANKS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported_names(module: str, path: Path) -> set[str]:
    """Every module named by an import statement anywhere in the file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    graph = {}
    for module, path in modules.items():
        targets = set()
        for name in imported_names(module, path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def against_the_flow(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in sorted(graph.items()):
        app = module.split(".")[0]
        for target in sorted(targets):
            other = target.split(".")[0]
            if other != app and RANKS[other] >= RANKS[app]:
                wrong.append(f"{module} -> {target}")
    return wrong


def test_every_app_of_the_project_has_a_rank_in_the_flow():
    apps = {
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if path.parent.name not in {".venv", "tests", "bench"}
    }
    assert apps <= set(RANKS), f"apps without a rank: {sorted(apps - set(RANKS))}"


def test_no_module_of_the_project_imports_itself_back():
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_imports_follow_the_flow():
    wrong = against_the_flow(import_graph())
    assert not wrong, "imports against the flow: " + ", ".join(wrong)


def test_the_checks_see_imports_inside_functions_and_relative_imports(tmp_path):
    graph = {"reports.jobs": {"reports.tasks"}, "reports.tasks": {"reports.jobs"}}
    assert cycles(graph) == [["reports.jobs", "reports.tasks"]]
    assert against_the_flow({"evidence.services": {"appraisal.scoring"}}) == [
        "evidence.services -> appraisal.scoring"
    ]
    source = tmp_path / "tasks.py"
    source.write_text("def run():\n    from .jobs import job\n    import kernel.audit\n")
    assert imported_names("reports.tasks", source) >= {"reports.jobs", "kernel.audit"}
