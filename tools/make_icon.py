"""Render SupportScope's icon from its SVG source into every file the app and bundles use.

    .venv/bin/python tools/make_icon.py

packaging/supportscope.svg (the source) becomes:
- ui/icons/supportscope-<N>.png (16 to 512 px): the window icon, shipped with the package;
- packaging/supportscope.ico (Windows, 16 to 256 px) and packaging/supportscope.icns (macOS),
  which the PyInstaller spec (packaging/supportscope.spec) puts on the executables.
Qt's SVG renderer (PySide6-Essentials) draws the sizes, Pillow (a reportlab dependency) writes
the .ico and .icns. Run it again after editing the SVG and commit what it writes.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "packaging" / "supportscope.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(size: int) -> bytes:
    """The SVG drawn at `size` x `size` pixels, as PNG bytes (transparent corners)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts)
    out = ROOT / "ui" / "icons"
    out.mkdir(exist_ok=True)
    images = {}
    for size in SIZES:
        png = render_png(size)
        (out / f"supportscope-{size}.png").write_bytes(png)
        images[size] = Image.open(io.BytesIO(png)).convert("RGBA")
    largest = images[max(ICO_SIZES)]
    largest.save(
        ROOT / "packaging" / "supportscope.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES],
    )
    images[512].save(ROOT / "packaging" / "supportscope.icns")
    for path in [*sorted(out.glob("*.png")), ROOT / "packaging" / "supportscope.ico",
                 ROOT / "packaging" / "supportscope.icns"]:  # fmt: skip
        print(path.relative_to(ROOT), path.stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
