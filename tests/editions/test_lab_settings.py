"""`make lab` ships JupyterLab defaults that turn off the news pop-up, valid for this JupyterLab."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.editions.conftest import ROOT

PLUGIN = "@jupyterlab/apputils-extension:notification"
SCHEMA = (
    Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab/apputils-extension/notification.json"
)


def test_the_shipped_settings_turn_off_news_and_update_checks():
    overrides = json.loads((ROOT / "jupyterlab" / "overrides.json").read_text())
    assert overrides == {PLUGIN: {"fetchNews": "false", "checkForUpdates": False}}


def test_the_settings_are_valid_for_the_installed_jupyterlab():
    schema = json.loads(SCHEMA.read_text())["properties"]
    assert {"const": "false", "title": "Never"} in schema["fetchNews"]["oneOf"]
    assert schema["fetchNews"]["default"] == "none", "JupyterLab's own default asks; ours must not"
    assert schema["checkForUpdates"]["type"] == "boolean"


def test_make_lab_installs_the_settings_into_the_venv_not_the_home_folder():
    makefile = (ROOT / "Makefile").read_text()
    assert "LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json" in makefile
    assert "lab: $(STAMP) $(LAB_SETTINGS)" in makefile
    assert "~" not in makefile and "$(HOME)" not in makefile
