"""The plain rows table model: no session, no database; rows are dataclasses and edits a lambda."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt

from ui.tables.rows_model import ID_ROLE, Column, RowsModel


@dataclass(frozen=True)
class Vendor:
    id: int
    name: str
    notes: str = ""


def make(rows, edits):  # type: ignore[no-untyped-def]
    def edit(item: Vendor, keyword: str, value: str) -> bool:
        if not value.strip():
            return False
        edits.append((item.id, keyword, value))
        return True

    columns = (
        Column("Name", "The vendor", lambda v: v.name, "name"),
        Column("Notes", "Anything", lambda v: v.notes, "notes", "—"),
        Column("Length", "Name length", lambda v: str(len(v.name))),
    )
    return RowsModel(columns, rows, edit)


def test_rows_model_passes_the_tester_and_reports_fine_grained_changes(qtmodeltester) -> None:
    edits: list[tuple[int, str, str]] = []
    rows = [Vendor(1, "Alder Health IT"), Vendor(2, "Birch Support", "onshore")]
    model = make(rows, edits)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "—"  # placeholder for an empty value
    assert model.data(model.index(1, 2)) == "13" and model.data(model.index(1, 0), ID_ROLE) == 2
    assert not model.flags(model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(0, 0), "Alder IT") and edits == [(1, "name", "Alder IT")]
    assert not model.setData(model.index(0, 0), "  ")  # the edit function refused
    assert not model.setData(model.index(0, 2), "9")  # a read-only column

    events: list[tuple] = []
    model.rowsInserted.connect(lambda _p, a, b: events.append(("insert", a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: events.append(("remove", a, b)))
    model.modelReset.connect(lambda: events.append(("reset",)))
    model.dataChanged.connect(lambda a, b: events.append(("changed", a.row(), b.row())))
    rows = [rows[0], Vendor(3, "Cedar Works"), rows[1]]
    model.set_rows(rows)
    rows = [replace(rows[0], notes="direct"), rows[1], rows[2]]
    model.set_rows(rows)
    model.set_rows(rows[1:])
    model.set_rows(list(reversed(rows)))
    assert events == [("insert", 1, 1), ("changed", 0, 0), ("remove", 0, 0), ("reset",)]
    qtmodeltester.check(model)


def test_read_only_rows_model_has_no_editable_cells() -> None:
    model = RowsModel((Column("Name", "", lambda v: v.name, "name"),), [Vendor(1, "A")])
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable  # no edit function
    assert not model.setData(model.index(0, 0), "B")
