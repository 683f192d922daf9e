"""The layer order of docs/architecture.md, enforced by import-linter's contracts in
pyproject.toml: an app that imports one above it (even inside a function) fails here."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_no_app_imports_a_layer_above_it_and_pure_cores_do_without_django():
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_every_app_has_its_place_in_the_layers():
    layers = next(c for c in CONFIG["contracts"] if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    apps = {f"aidbridge.{p.parent.name}" for p in (ROOT / "aidbridge").glob("*/apps.py")}
    assert apps - placed == set()
