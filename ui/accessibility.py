"""Names that screen readers read: every focusable widget of a window gets an accessible name.

Grids, trees, charts and inputs are named where they are built (`describe`), with a sentence
that says what they hold. Buttons, check boxes and inputs with a buddy label are named here
from what the user reads on screen (`name_from_text`), so the spoken name never differs from
the visible one; a name taken this way follows the text when it changes (the phase button says
"Start scoring", then "Start consensus"). Qt's own parts (a spin box's line edit, a tab
widget's tab bar, a scroll area's viewport) take their owner's name.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QScrollArea,
    QTabBar,
    QTabWidget,
    QWidget,
)

AUTO = "autoAccessibleName"  # a dynamic property: the name was taken from the visible text


def describe(widget: QWidget, name: str, description: str = "") -> QWidget:
    """Give `widget` the name a screen reader reads and, optionally, a sentence about it."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def plain(text: str) -> str:
    """Visible text as spoken: no mnemonic ampersands, ellipses or trailing colons."""
    text = re.sub(r"<[^>]+>", "", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…:. ").strip()


def name_from_text(root: QWidget) -> None:
    """Name every focusable widget under `root` that has no name yet from its visible text,
    its buddy label, or its owner (Qt's inner parts); names taken earlier follow the text."""
    buddies = _buddy_texts(root)
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if widget.accessibleName() and not widget.property(AUTO):
            continue
        name = _visible_name(widget, buddies)
        if name and name != widget.accessibleName():
            widget.setAccessibleName(name)
            widget.setProperty(AUTO, True)


def _buddy_texts(root: QWidget) -> dict[int, str]:
    texts: dict[int, str] = {}
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and label.text():
            texts[id(buddy)] = plain(label.text())
    return texts


def _visible_name(widget: QWidget, buddies: dict[int, str]) -> str:
    if isinstance(widget, QAbstractButton) and widget.text():
        return plain(widget.text())
    if isinstance(widget, QGroupBox) and widget.title():
        return plain(widget.title())
    if id(widget) in buddies:
        return buddies[id(widget)]
    if isinstance(widget, QScrollArea) and widget.widget() is not None:
        return widget.widget().accessibleName()
    owner = widget.parentWidget()
    if owner is None:
        return ""
    if isinstance(owner, QAbstractSpinBox | QComboBox) or (
        isinstance(owner, QAbstractScrollArea) and owner.viewport() is widget
    ):
        return owner.accessibleName() or buddies.get(id(owner), "")
    if isinstance(widget, QTabBar) and isinstance(owner, QTabWidget):
        return f"{owner.accessibleName()} tabs" if owner.accessibleName() else ""
    return ""


class _NameOnShow(QObject):
    """Names the widgets of every window (dialogs, message boxes) when it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        shown = event.type() == QEvent.Type.Show
        if shown and isinstance(watched, QWidget) and watched.isWindow():
            name_from_text(watched)
        return False


def name_windows_when_shown(app: QCoreApplication) -> None:
    """Install, once, the filter that names every window's widgets as it is shown."""
    if app.property("namesWindows"):
        return
    keeper = _NameOnShow(app)
    app.installEventFilter(keeper)
    app.setProperty("namesWindows", True)
