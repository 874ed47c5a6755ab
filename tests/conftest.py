"""Test-wide set-up: Qt runs offscreen, and nothing touches the user's real data or settings."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SUPPORTSCOPE_NO_SETTINGS", "1")
_SANDBOX = tempfile.mkdtemp(prefix="supportscope-tests-")
os.environ["SUPPORTSCOPE_DB"] = os.path.join(_SANDBOX, "default.db")
os.environ["SUPPORTSCOPE_CATALOGS"] = os.path.join(_SANDBOX, "catalogs")
os.environ["SUPPORTSCOPE_CONFIG"] = os.path.join(_SANDBOX, "config")
