"""The Qt binding must not leak references to None/True (PySide6 6.12.0 on Python 3.11 did,
aborting long sessions with 'none_dealloc'); pyproject pins a version without the bug."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(bool)


def test_calls_returning_nothing_keep_none_alive():
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(2000):
        probe.setObjectName("probe")
    assert sys.getrefcount(None) - before > -100


def test_emitting_keeps_true_alive():
    emitter = _Emitter()
    received: list[bool] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(2000):
        emitter.fired.emit(True)
    received.clear()
    assert sys.getrefcount(True) - before > -100
