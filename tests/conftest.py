"""Test-wide set-up: Qt runs offscreen, and nothing touches the user's real data folder."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SUPPORTSCOPE_NO_SETTINGS", "1")
