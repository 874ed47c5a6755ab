"""Embedded Unicode fonts for the PDF: DejaVu Sans, shipped in this package (reports/fonts).

The 14 standard PDF fonts are neither embedded nor Unicode-safe (no €, no em dash), so the
report always embeds a TrueType family. It is the copy shipped with the package, never one
searched for on the system, so every machine renders the same report (same glyphs, same line
breaks). Characters the font cannot draw are replaced visibly rather than left blank.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "ReportSans"
REPLACEMENT = "\ufffd"  # shown for characters the font cannot draw
_STYLES = ("regular", "bold", "italic", "bold_italic")
_DEJAVU_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
)
FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"  # with LICENSE-DejaVu.txt


@dataclass(frozen=True)
class FontSet:
    """The registered family: font names to use, and which characters they can draw."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    label: str  # e.g. "DejaVu Sans", for the report's colophon
    coverage: frozenset[int]
    replacement: str

    def drawable(self, text: str) -> str:
        """`text` with characters the font lacks replaced by a visible mark.

        Controls other than line breaks and tabs are replaced too: they have no glyph.
        """
        if text.isascii() and text.isprintable():
            return text
        out = []
        for char in text:
            code = ord(char)
            if char in "\n\t" or (code >= 32 and code in self.coverage):
                out.append(char)
            elif char == "\r":
                continue
            else:
                out.append(self.replacement)
        return "".join(out)


def _find_family() -> tuple[str, tuple[Path, ...]]:
    """The shipped family's name and its four files (regular, bold, italic, bold italic)."""
    return "DejaVu Sans", tuple(FONT_DIR / name for name in _DEJAVU_FILES)


@functools.cache
def report_fonts() -> FontSet:
    """Register the family once per process and describe it."""
    label, paths = _find_family()
    names = [f"{FAMILY}-{style}" for style in _STYLES]
    fonts = [TTFont(name, str(path)) for name, path in zip(names, paths, strict=True)]
    for font in fonts:
        pdfmetrics.registerFont(font)
    regular, bold, italic, bold_italic = names
    for is_bold, is_italic, name in (
        (0, 0, regular),
        (1, 0, bold),
        (0, 1, italic),
        (1, 1, bold_italic),
    ):
        addMapping(FAMILY, is_bold, is_italic, name)
    coverage = frozenset(fonts[0].face.charToGlyph)
    replacement = REPLACEMENT if ord(REPLACEMENT) in coverage else "?"
    return FontSet(regular, bold, italic, bold_italic, label, coverage, replacement)
