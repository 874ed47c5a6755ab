"""Build the one-folder bundle with PyInstaller and check that it runs on its own.

    .venv/bin/python tools/build_bundle.py [--dist DIR] [--check-only]

Builds packaging/supportscope.spec into DIR/SupportScope (default: dist/, ignored by git), then
runs the built executables from a scratch folder outside the checkout, with a scrubbed
environment (no PYTHONPATH, a scratch HOME, Qt offscreen), so nothing of the checkout can stand
in for what the bundle lacks: `supportscope --version`, `demo`, `rank`, `export` (a PDF with the
shipped DejaVu Sans embedded and a workbook) and the window, started and quit once shown
(SUPPORTSCOPE_EXIT_AFTER_START=1). Prints the bundle's size and exits 1 on the first failure.
tests/test_bundle.py runs it in the default test suite (CI=true always; skipped locally with
SUPPORTSCOPE_SKIP_BUNDLE=1). The same spec builds the Windows and macOS bundles in
.github/workflows/bundle.yml.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "supportscope.spec"
DEMO_NAME = "Cedar Hollow EHR Support Review"  # criteria/demo.py (not imported: Qt-free tool)
EXE = ".exe" if os.name == "nt" else ""


class BundleError(Exception):
    """What went wrong, in one line."""


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; returns the bundle folder."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise BundleError(f"PyInstaller failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return dist / "SupportScope"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _environment(scratch: Path) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TEMP", "TMP", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(scratch / "home"),
        USERPROFILE=str(scratch / "home"),
        APPDATA=str(scratch / "home" / "appdata"),
        LOCALAPPDATA=str(scratch / "home" / "localappdata"),
        XDG_DATA_HOME=str(scratch / "home" / "data"),
        XDG_CONFIG_HOME=str(scratch / "home" / "config"),
        XDG_STATE_HOME=str(scratch / "home" / "state"),
        SUPPORTSCOPE_NO_SETTINGS="1",
        SUPPORTSCOPE_LOG_DIR=str(scratch / "logs"),
    )
    return env


def _run(exe: Path, args: list[str], scratch: Path, **extra: str) -> str:
    env = _environment(scratch) | extra
    result = subprocess.run(
        [str(exe), *args], cwd=scratch, env=env, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0 or "Traceback" in result.stderr:
        raise BundleError(
            f"{exe.name} {' '.join(args)} -> exit {result.returncode}\n{result.stderr[-2000:]}"
        )
    return result.stdout


def check(bundle: Path) -> list[str]:
    """Run the bundle outside the checkout; returns what was checked, one line each."""
    console, window = bundle / f"supportscope{EXE}", bundle / f"supportscope-window{EXE}"
    for exe in (console, window):
        if not exe.is_file():
            raise BundleError(f"{exe} was not built")
    addons = sorted(p.name for p in bundle.rglob("*Qt6Charts*"))
    if addons:
        raise BundleError(f"the bundle carries QtCharts (PySide6-Addons): {addons}")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    done = []
    with tempfile.TemporaryDirectory(prefix="supportscope-bundle-") as folder:
        scratch = Path(folder)
        if scratch.resolve().is_relative_to(ROOT):
            raise BundleError("the scratch folder must be outside the checkout")
        said = _run(console, ["--version"], scratch)
        if said != f"SupportScope {version}\n":
            raise BundleError(f"--version said {said!r}, not SupportScope {version}")
        done.append(f"--version: {said.strip()}")
        db = scratch / "committee.db"
        if DEMO_NAME not in _run(console, ["--db", str(db), "demo"], scratch):
            raise BundleError("demo did not create the demo evaluation")
        done.append("demo: created")
        ranking = _run(console, ["rank", DEMO_NAME, "--db", str(db)], scratch)
        ranked = [line for line in ranking.splitlines() if re.match(r"\d+\s+\S", line)]
        if not ranked:
            raise BundleError(f"rank printed no ranked candidate:\n{ranking}")
        leader = re.split(r"\s{2,}", ranked[0])[1]
        done.append(f"rank: {len(ranked)} ranked, first {leader}")
        pdf, xlsx = scratch / "report.pdf", scratch / "report.xlsx"
        _run(console, ["export", DEMO_NAME, "--pdf", str(pdf), "--xlsx", str(xlsx),
                       "--db", str(db)], scratch)  # fmt: skip
        content = pdf.read_bytes() if pdf.is_file() else b""
        if not content.startswith(b"%PDF") or b"DejaVuSans" not in content:
            raise BundleError("export wrote no PDF with the shipped DejaVu Sans embedded")
        with zipfile.ZipFile(xlsx) as workbook:
            if "xl/workbook.xml" not in workbook.namelist():
                raise BundleError("export wrote no workbook")
        sizes = f"PDF {len(content) // 1024} KB, workbook {xlsx.stat().st_size // 1024} KB"
        done.append(f"export: {sizes}")
        _run(window, ["--db", str(db)], scratch, SUPPORTSCOPE_EXIT_AFTER_START="1")
        log = (scratch / "logs" / "supportscope.log").read_text("utf-8")
        shown = re.search(r"window shown: (.*)", log)
        if not shown or DEMO_NAME not in shown.group(1):
            raise BundleError(f"the window did not show the demo evaluation:\n{log[-2000:]}")
        done.append(f"window: shown, titled {shown.group(1).strip()!r}")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--check-only", action="store_true", help="check a bundle built before")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        bundle = args.dist / "SupportScope"
        if not args.check_only:
            bundle = build(args.dist, args.work)
            print(f"built {bundle} in {time.monotonic() - started:.0f} s")
        for line in check(bundle):
            print(f"ok  {line}")
    except BundleError as error:
        print(f"bundle check failed: {error}", file=sys.stderr)
        return 1
    print(f"bundle: {folder_size(bundle) / 1e6:.0f} MB; {time.monotonic() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
