"""The window says where exported files went, and saves an evaluation's criteria as a catalog
that File ▸ New evaluation then offers (issue 13.6)."""

from __future__ import annotations

from pathlib import Path

from test_ui_window import make_window
from ui_helpers import answer_identity_prompt

from criteria import list_catalogs, load_catalog
from criteria.demo import DEMO_CHAIR
from evaluator.domain import leaves
from ui import save_catalog
from ui.imports import base as import_base


def open_demo(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, tmp_path)
    window.start_page.open_location(str(tmp_path / "demo.db"), create=True)
    window.start_page.open_demo()
    answer_identity_prompt(window, DEMO_CHAIR)
    return window


def file_action(window, text: str):  # type: ignore[no-untyped-def]
    """A File menu entry by its words (mnemonic ampersands ignored)."""
    menu = window.menuBar().actions()[0].menu()
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def test_exporting_a_questionnaire_template_says_where_it_went(qtbot, tmp_path, monkeypatch):
    window = open_demo(qtbot, tmp_path)
    out = tmp_path / "for vendors"
    out.mkdir()
    monkeypatch.setattr(import_base, "choose_item", lambda *args: args[3][0])  # blank template
    monkeypatch.setattr(import_base, "choose_save_file", lambda *args: str(out / "rfp"))
    file_action(window, "Export questionnaire template…").trigger()
    assert (out / "rfp.xlsx").is_file()
    assert window.statusBar().currentMessage() == f"Saved rfp.xlsx in {out}"


def test_save_criteria_as_catalog_from_the_file_menu(qtbot, tmp_path, monkeypatch):
    window = open_demo(qtbot, tmp_path)
    folder = window.start_page.catalog_dirs[0]
    offered: list[str] = []

    def choose(_parent, _title, suggested, _filters):  # type: ignore[no-untyped-def]
        offered.append(suggested)
        return str(folder / "Cedar criteria")

    monkeypatch.setattr(save_catalog, "choose_save_file", choose)
    action = file_action(window, "Save criteria as catalog…")
    assert action.isEnabled()
    action.trigger()
    target = folder / "Cedar criteria.toml"
    assert Path(offered[0]).parent == folder  # starts where New evaluation looks
    assert target.is_file()
    message = window.statusBar().currentMessage()
    assert str(target) in message and "listed under New evaluation" in message
    catalog = load_catalog(target)
    data = window.session.data
    assert catalog.id == "cedar-criteria" and catalog.name == data.name
    assert catalog.scale == data.scale
    assert [leaf.key for leaf in leaves(catalog.criteria)] == [
        leaf.key for leaf in leaves(data.criteria)
    ]
    assert "cedar-criteria" in [info.id for info in list_catalogs([folder])]
    # cancelled: nothing written, nothing said
    before = sorted(folder.iterdir())
    window.statusBar().clearMessage()
    monkeypatch.setattr(save_catalog, "choose_save_file", lambda *args: "")
    action.trigger()
    assert window.statusBar().currentMessage() == ""
    assert sorted(folder.iterdir()) == before
