"""`pip install .` gives a working `supportscope`: the wheel holds every package and data file.

A checkout hides packaging mistakes (its folders are importable from the working directory), so
this builds the wheel from a copy of the checkout, installs it into a fresh virtual environment
outside it, and runs the installed command from another folder. The big dependencies (Qt,
SQLAlchemy, reportlab, ...) are borrowed from the running environment through a plain path
line in a .pth file; such a line does not run the .pth files beside it, so the editable install
of SupportScope living there stays inactive and cannot stand in for the wheel (checked below).
About 10 seconds.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from criteria.demo import CANDIDATES, DEMO_NAME

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cli", "criteria", "evaluator", "reports", "ui")
# A version no source file states: if anything printed a hard-coded version, it would show.
VERSION_LABEL = "+packagingtest"
NOT_SHIPPED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    "*.pyc",
    "build",
    "dist",
    "*.egg-info",
    "tests",
    "docs",
    "tools",
    ".ci",
    "*.db",
    "*.db-*",
    ".*_cache",
    ".hypothesis",
)


@dataclass(frozen=True)
class Installed:
    wheel: Path
    version: str
    venv_python: Path
    bin_dir: Path
    site_packages: Path
    env: dict[str, str]
    work: Path  # a folder outside the checkout, the commands' working directory


def _run(cmd: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in cmd], capture_output=True, text=True, timeout=180, **kwargs
    )
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


def _builds_wheels_offline() -> bool:
    """Whether this environment's setuptools can build a wheel without fetching anything."""
    try:
        importlib.metadata.version("wheel")
        return True
    except importlib.metadata.PackageNotFoundError:
        pass
    try:
        major, minor = (int(p) for p in importlib.metadata.version("setuptools").split(".")[:2])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    return (major, minor) >= (70, 1)  # bdist_wheel moved into setuptools in 70.1


def _build_wheel(tmp: Path) -> tuple[Path, str]:
    """Build from a copy, so no build/ or egg-info (stale files included) lands in the checkout."""
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SHIPPED)
    pyproject = source / "pyproject.toml"
    text = pyproject.read_text("utf-8")
    match = re.search(r'(?m)^version = "([^"]+)"$', text)
    assert match, "pyproject.toml states no [project] version"
    version = match.group(1) + VERSION_LABEL
    pyproject.write_text(text.replace(match.group(0), f'version = "{version}"', 1), "utf-8")
    out = tmp / "dist"
    isolation = ["--no-build-isolation", "--no-index"] if _builds_wheels_offline() else []
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation, "-w", out, source])
    (wheel,) = out.glob("supportscope-*.whl")
    return wheel, version


def _fresh_venv(tmp: Path, wheel: Path) -> tuple[Path, Path, Path]:
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    # The wheel goes in before the borrowed dependencies are visible, so pip sees a bare venv.
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
          "--no-index", wheel])  # fmt: skip
    site = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    borrowed = dict.fromkeys(
        [sysconfig.get_paths()[key] for key in ("purelib", "platlib")]
        + [p for p in sys.path if Path(p).name in {"site-packages", "dist-packages"}]
    )
    (site / "borrowed-dependencies.pth").write_text("\n".join(borrowed) + "\n", "utf-8")
    return python, python.parent, site


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("packaging")
    wheel, version = _build_wheel(tmp)
    python, bin_dir, site = _fresh_venv(tmp, wheel)
    home = tmp / "home"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        SUPPORTSCOPE_DB=str(tmp / "default.db"),
        SUPPORTSCOPE_CATALOGS=str(tmp / "catalogs"),
        SUPPORTSCOPE_CONFIG=str(tmp / "config"),
        SUPPORTSCOPE_NO_SETTINGS="1",
        VIRTUAL_ENV=str(python.parent.parent),
    )
    work = tmp / "elsewhere"
    work.mkdir()
    return Installed(wheel, version, python, bin_dir, site, env, work)


def _shipped_sources() -> set[str]:
    """Every module and run-time data file of the checkout, as wheel paths."""
    names = {"main.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                names.add(path.relative_to(ROOT).as_posix())
    return names


def test_wheel_holds_every_package_and_data_file(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    missing = _shipped_sources() - names
    assert not missing, f"left out of the wheel: {sorted(missing)}"
    # The files the app loads at run time, named so that an empty glob cannot pass unnoticed.
    for required in (
        "cli/__init__.py",
        "cli/runner.py",
        "evaluator/migrations/env.py",
        "evaluator/migrations/script.py.mako",
        "evaluator/schema/evaluation.schema.json",
        "criteria/catalogs/ehr-direct.toml",
        "criteria/catalogs/third-party.toml",
        "reports/fonts/DejaVuSans.ttf",
        "reports/fonts/DejaVuSans-BoldOblique.ttf",
        "reports/fonts/LICENSE-DejaVu.txt",
        "ui/icons/supportscope-256.png",
    ):
        assert required in names
    assert any(re.fullmatch(r"evaluator/migrations/versions/\w+\.py", n) for n in names)
    dist_info = f"supportscope-{installed.version}.dist-info"
    entry_points = zipfile.ZipFile(installed.wheel).read(f"{dist_info}/entry_points.txt").decode()
    assert "supportscope = main:main" in entry_points
    # a gui-script: on Windows its launcher opens no console window
    assert "[gui_scripts]\nsupportscope-window = main:window" in entry_points
    assert any(re.fullmatch(rf"{re.escape(dist_info)}/(licenses/)?LICENSE", n) for n in names)


def test_installed_code_comes_from_the_wheel_not_the_checkout(installed: Installed) -> None:
    code = (
        "import importlib.metadata, cli, criteria, evaluator, main, reports, ui\n"
        "for m in (cli, criteria, evaluator, main, reports, ui): print(m.__file__)\n"
        "print(importlib.metadata.version('supportscope'))"
    )
    lines = _run(
        [installed.venv_python, "-c", code], cwd=installed.work, env=installed.env
    ).stdout.split()
    *files, version = lines
    assert len(files) == 6
    for file in files:
        assert Path(file).resolve().is_relative_to(installed.site_packages.resolve()), file
    assert version == installed.version


def test_installed_command_runs_outside_the_checkout(installed: Installed) -> None:
    def supportscope(*args: str) -> str:
        result = _run(
            [installed.bin_dir / "supportscope", *args], cwd=installed.work, env=installed.env
        )
        assert "Traceback" not in result.stderr
        return result.stdout

    assert supportscope("--version") == f"SupportScope {installed.version}\n"
    db = installed.work / "committee.db"
    assert DEMO_NAME in supportscope("--db", str(db), "demo")
    ranking = supportscope("rank", DEMO_NAME, "--db", str(db))
    rows = [line for line in ranking.splitlines() if any(c.name in line for c in CANDIDATES)]
    assert len(rows) == len(CANDIDATES)
    assert sum(bool(re.match(r"\d+\s", row)) for row in rows) == sum(
        not c.fails_first_gate for c in CANDIDATES
    )
    pdf, xlsx = installed.work / "a.pdf", installed.work / "b.xlsx"
    supportscope("export", DEMO_NAME, "--pdf", str(pdf), "--xlsx", str(xlsx), "--db", str(db))
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert PdfReader(pdf).metadata.creator == f"SupportScope {installed.version}"
    cells = (
        str(cell.value)
        for sheet in load_workbook(xlsx, read_only=True)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )
    assert any(f"SupportScope {installed.version}" in text for text in cells)


def test_window_entry_point_is_installed(installed: Installed) -> None:
    result = _run(
        [installed.bin_dir / "supportscope-window", "--help"], cwd=installed.work, env=installed.env
    )
    assert "--db" in result.stdout
