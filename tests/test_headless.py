"""The core never imports Textual (and the engine never imports YAML): each module is imported in a
fresh process and ``sys.modules`` inspected. Add a module here as soon as it exists."""

import importlib.util
import subprocess
import sys

import pytest

CORE_MODULES = ["tutor.engine", "tutor.lessons", "tutor.grading", "tutor.render", "tutor.progress"]
FORBIDDEN = {"tutor.engine": ["textual", "yaml"]}


def _exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_ui(module):
    if not _exists(module):
        pytest.skip(f"{module} does not exist yet")
    forbidden = FORBIDDEN.get(module, ["textual"])
    probe = (f"import sys, {module}\n"
             f"print(' '.join(m for m in {forbidden!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], f"{module} imports {result.stdout.strip()}"
