"""The page furniture: cover and body page templates, running header and footer, the DRAFT
watermark, "Page X of Y", PDF bookmarks and metadata.

"Page X of Y" and the page numbers in the cover's contents need facts that exist only once the
last page is laid out. Rather than laying the whole report out twice, each such number is drawn
as a PDF form XObject (a named, reusable drawing) that is defined once, when the canvas is
saved and the numbers are known.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from reports.model import ReportData
from reports.pdf.cells import Paragraph
from reports.pdf.styles import MUTED, RULE, Theme

PAGE_SIZE = LETTER
MARGIN = 0.75 * inch
HEADER_GAP = 0.45 * inch  # from the page edge to the header / footer baseline
TOTAL_PAGES_FORM = "supportscopeTotalPages"
FOOTER_FONT_SIZE = 7.5
COVER_BAND_HEIGHT = 1.9 * inch


def page_ref_form(key: str) -> str:
    return f"supportscopePageOf-{key}"


class Heading(Paragraph):
    """A section heading that becomes a PDF bookmark at `level` (0 = top) and, when it has a
    `key`, the target of a `PageRef` in the contents."""

    def __init__(  # type: ignore[no-untyped-def]
        self, markup: str, style, level: int, title: str, key: str | None = None
    ) -> None:
        super().__init__(markup, style)
        self.outline_level = level
        self.outline_title = title
        self.page_key = key


class PageRef(Flowable):
    """The page number of the heading with `key`, right-aligned; known only at the end."""

    def __init__(self, key: str, width: float = 28, height: float = 11) -> None:
        super().__init__()
        self.key, self.width, self.height = key, width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.page_refs.add(self.key)
        self.canv.saveState()
        self.canv.translate(self.width, 3.5)
        self.canv.doForm(page_ref_form(self.key))
        self.canv.restoreState()


class Checkpoint(Flowable):
    """A zero-size marker between sections: reports progress and lets the caller cancel."""

    def __init__(self, reached: Callable[[], None]) -> None:
        super().__init__()
        self._reached = reached

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self._reached()


class Deferred(Flowable):
    """A section that is built only when the layout reaches it.

    Building thousands of Paragraphs takes as long as laying them out; deferring it keeps
    memory flat and lets progress move from the first section on.
    """

    def __init__(self, build: Callable[[], list[Flowable]]) -> None:
        super().__init__()
        self.build = build


class _ForwardCanvas(Canvas):
    """Defines the forward-referenced numbers (page total, section pages) when saving."""

    font_name = "Helvetica"

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.section_pages: dict[str, int] = {}  # heading key -> page, filled during layout
        self.page_refs: set[str] = set()  # keys some PageRef drew

    def _number_form(self, name: str, text: str, size: float, right: bool) -> None:
        self.beginForm(name, lowerx=-200, lowery=-50, upperx=200, uppery=50)  # room either side
        self.setFont(self.font_name, size)
        self.setFillColor(MUTED if not right else colors.black)
        (self.drawRightString if right else self.drawString)(0, 0, text)
        self.endForm()

    def save(self) -> None:
        if self._code:  # an unfinished page: finish it first so it is counted
            self.showPage()
        total = self.getPageNumber() - 1
        self._number_form(TOTAL_PAGES_FORM, str(total), FOOTER_FONT_SIZE, right=False)
        for key in sorted(self.page_refs):
            page = self.section_pages.get(key)
            self._number_form(page_ref_form(key), str(page or ""), 9, right=True)
        super().save()


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis to fit `width` (for one-line page furniture only)."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class ReportDocument(BaseDocTemplate):
    """Letter pages: a cover template and a body template with header, footer and outline."""

    def __init__(self, filename: str, report: ReportData, theme: Theme, logo: ImageReader | None):
        meta = report.meta
        super().__init__(
            filename,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 0.15 * inch,
            bottomMargin=MARGIN,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            creator=f"SupportScope {meta.app_version}",
            keywords="EHR support evaluation, vendor selection",
            invariant=False,
            initialFontName=theme.fonts.regular,  # so that no unembedded base font is referenced
        )
        self.report = report
        self.theme = theme
        self.logo = logo
        self._bookmarks = 0
        width, height = PAGE_SIZE
        cover_frame = Frame(
            MARGIN,
            MARGIN,
            width - 2 * MARGIN,
            height - 2 * MARGIN - COVER_BAND_HEIGHT,
            id="cover",
        )
        body_frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[cover_frame], onPage=self._cover_page),
                PageTemplate(id="body", frames=[body_frame], onPage=self._body_page),
            ]
        )

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        """Expand a deferred section in place before laying out its first flowable."""
        while flowables and isinstance(flowables[0], Deferred):
            flowables[0:1] = flowables[0].build()
        if flowables:
            super().handle_flowable(flowables)

    # ---- bookmarks --------------------------------------------------------------------------

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        self._bookmarks += 1
        key = f"section-{self._bookmarks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.outline_title, key, level=level, closed=False)
        if getattr(flowable, "page_key", None):
            self.canv.section_pages[flowable.page_key] = self.page

    # ---- page furniture ---------------------------------------------------------------------

    def _watermark(self, canvas: Canvas) -> None:
        if self.report.meta.is_final:
            return
        width, height = PAGE_SIZE
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#9AA5B1"))
        canvas.setFillAlpha(0.13)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(45)
        canvas.setFont(self.theme.fonts.bold, 130)
        canvas.drawCentredString(0, -45, "DRAFT")
        canvas.restoreState()

    def _cover_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = PAGE_SIZE
        theme = self.theme
        branding = self.report.meta.branding
        canvas.saveState()
        canvas.setFillColor(theme.accent)
        canvas.rect(0, height - COVER_BAND_HEIGHT, width, COVER_BAND_HEIGHT, stroke=0, fill=1)
        logo_width = 0.0
        if self.logo is not None:
            box_w, box_h = 2.2 * inch, COVER_BAND_HEIGHT - 0.7 * inch
            img_w, img_h = self.logo.getSize()
            scale = min(box_w / img_w, box_h / img_h)
            logo_width = img_w * scale
            x = width - MARGIN - logo_width
            y = height - COVER_BAND_HEIGHT / 2 - img_h * scale / 2
            canvas.setFillColor(colors.white)
            pad = 6
            canvas.roundRect(
                x - pad, y - pad, logo_width + 2 * pad, img_h * scale + 2 * pad, 4, stroke=0, fill=1
            )
            canvas.drawImage(self.logo, x, y, logo_width, img_h * scale, mask="auto")
        firm = branding.firm_name.strip() or "SupportScope"
        canvas.setFillColor(colors.white)
        text_width = width - 2 * MARGIN - (logo_width + 0.4 * inch if logo_width else 0)
        firm_text = theme.fonts.drawable(firm)
        canvas.setFont(theme.fonts.bold, 20)
        canvas.drawString(
            MARGIN,
            height - COVER_BAND_HEIGHT / 2 + 2,
            _fit(canvas, firm_text, theme.fonts.bold, 20, text_width),
        )
        canvas.setFont(theme.fonts.regular, 10)
        canvas.drawString(
            MARGIN,
            height - COVER_BAND_HEIGHT / 2 - 16,
            getattr(self.report.meta, "cover_line", "EHR support evaluation — client report"),
        )
        canvas.restoreState()
        self._watermark(canvas)

    def _body_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = PAGE_SIZE
        theme = self.theme
        meta = self.report.meta
        fonts = theme.fonts
        canvas.saveState()
        top = height - HEADER_GAP
        half = (width - 2 * MARGIN) / 2 - 10
        canvas.setFont(fonts.bold, FOOTER_FONT_SIZE + 0.5)
        canvas.setFillColor(theme.accent)
        name = fonts.drawable(meta.evaluation_name)
        canvas.drawString(MARGIN, top, _fit(canvas, name, fonts.bold, FOOTER_FONT_SIZE + 0.5, half))
        canvas.setFont(fonts.regular, FOOTER_FONT_SIZE)
        canvas.setFillColor(MUTED)
        right = fonts.drawable(meta.branding.firm_name.strip() or "SupportScope")
        canvas.drawRightString(
            width - MARGIN, top, _fit(canvas, right, fonts.regular, FOOTER_FONT_SIZE, half)
        )
        canvas.setStrokeColor(theme.accent)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, top - 5, width - MARGIN, top - 5)

        bottom = HEADER_GAP
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, bottom + 10, width - MARGIN, bottom + 10)
        state = "Final" if meta.is_final else "Draft"
        client = f" · {meta.client}" if meta.client else ""
        stamp = f"Confidential{client} · {state} · {meta.generated_at:%d %b %Y}"
        reserve = canvas.stringWidth("Page 9999 of 9999", fonts.regular, FOOTER_FONT_SIZE)
        room = width - 2 * MARGIN - reserve - 12
        canvas.drawString(
            MARGIN,
            bottom,
            _fit(canvas, fonts.drawable(stamp), fonts.regular, FOOTER_FONT_SIZE, room),
        )
        label = f"Page {doc.page} of "
        x = width - MARGIN - reserve
        canvas.drawString(x, bottom, label)
        canvas.translate(x + canvas.stringWidth(label, fonts.regular, FOOTER_FONT_SIZE), bottom)
        canvas.doForm(TOTAL_PAGES_FORM)
        canvas.restoreState()
        self._watermark(canvas)


def canvas_maker(theme: Theme) -> type[Canvas]:
    """A canvas class whose page-total form uses the report's font."""
    return type("ReportCanvas", (_ForwardCanvas,), {"font_name": theme.fonts.regular})
