"""The layer rule: nothing below trainer/cli.py and trainer/tui/ imports textual or click.

`textual` must not even be loaded by the core. `click` is different: sqlite-utils
(the store's library) imports it for its own plugin system, so it is always in
sys.modules once the store is loaded. For click the check is therefore that no
trainer module is the one that imports it; an import hook in a fresh
interpreter records who asks for it.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import trainer

# Only these may import the UI libraries.
UI_MODULES = ("trainer.cli", "trainer.__main__", "trainer.tui")
# Named so the test fails loudly if module discovery ever stops finding them.
REQUIRED_CORE = (
    "trainer.model", "trainer.parse", "trainer.identity", "trainer.importer", "trainer.store",
    "trainer.migrations", "trainer.scheduler", "trainer.config", "trainer.days",
    "trainer.search", "trainer.store.card_search", "trainer.browse", "trainer.card_actions", "trainer.card_info",
    "trainer.cards_view",
)

PROBE = """
import builtins, importlib, json, sys

importers = []  # (module that ran the import statement, what it imported)
real_import = builtins.__import__

def recording_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.split(".")[0] in ("click", "textual"):
        importers.append(((globals or {}).get("__name__", "?"), name))
    return real_import(name, globals, locals, fromlist, level)

builtins.__import__ = recording_import
for name in MODULES:
    importlib.import_module(name)
print(json.dumps({
    "importers": importers,
    "loaded": sorted(lib for lib in ("click", "textual") if lib in sys.modules),
}))
"""


def core_modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(trainer.__path__, "trainer.")
        if not any(info.name == ui or info.name.startswith(ui + ".") for ui in UI_MODULES)
    ]
    return sorted(names)


def probe(modules: list[str]) -> dict:
    """Import modules in a fresh interpreter; who imported click/textual, and what got loaded."""
    script = f"MODULES = {modules!r}\n" + PROBE
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_core_module_list_covers_the_core():
    found = core_modules()
    for name in REQUIRED_CORE:
        assert name in found
    assert not any(name.startswith("trainer.tui") or name == "trainer.cli" for name in found)


def test_core_modules_do_not_load_textual():
    result = probe(core_modules())
    assert "textual" not in result["loaded"]


def test_no_core_source_imports_click_or_textual_even_inside_a_function():
    # The probe only sees imports that run at import time; a lazy import in a
    # function body is caught here.
    offenders = []
    for name in core_modules():
        spec = importlib.util.find_spec(name)
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                targets = [node.module or ""]
            else:
                continue
            offenders += [(name, t) for t in targets if t.split(".")[0] in ("click", "textual")]
    assert offenders == []


def test_no_core_module_imports_click_or_textual():
    result = probe(core_modules())
    ours = [(who, what) for who, what in result["importers"] if who.startswith("trainer")]
    assert ours == []


def test_click_in_the_core_comes_only_from_sqlite_utils():
    result = probe(["sqlite_utils"])
    assert result["loaded"] == ["click"]
    assert all(who.startswith("sqlite_utils") for who, _ in result["importers"])


def test_the_probe_catches_a_ui_import():
    result = probe(["trainer.cli"])
    assert ("trainer.cli", "click") in [tuple(pair) for pair in result["importers"]]
