"""The A4 layout of the council report (fpdf2): summary page, one page per family, methods and sources.

German text needs a Unicode font: DejaVu Sans from Debian's ``fonts-dejavu-core`` (also bundled with
matplotlib, the fallback); it is embedded as a subset. Every page carries the town, the year, the data
date and the run in its footer, so a single printed page still says where its numbers come from; a report
of a warehouse built with the public demo key says "Demodaten" in every footer and in a box on page 1.
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from dashboard.report.content import SOURCE_HEADER, ReportContent, Section, Summary

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]
NAVY = (31, 58, 95)
TEXT = (17, 17, 17)
MUTED = (64, 64, 64)
NOTICE_FILL = (255, 243, 205)  # the dashboard's warning colour; the report's near-black text on it: about 17:1
CHART_WIDTH_MM = 180.0
FOOTER_PAGE_MM = 28.0  # room for "Seite 12 von 12" at the right of the footer


class FontMissingError(RuntimeError):
    """No Unicode font to embed (German message naming the package to install)."""


def font_files() -> tuple[Path, Path]:
    """DejaVuSans.ttf and DejaVuSans-Bold.ttf: Debian's package, else the copy matplotlib ships."""
    dirs = list(FONT_DIRS)
    try:
        import matplotlib

        dirs.append(Path(matplotlib.get_data_path()) / "fonts" / "ttf")
    except ImportError:
        pass
    for folder in dirs:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    raise FontMissingError(
        "Die Schrift DejaVu Sans fehlt (/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf): "
        "apt-get install fonts-dejavu-core"
    )


class ReportPDF(FPDF):
    """A4 portrait with the report's footer on every page."""

    def __init__(self, footer_text: str, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        regular, bold = font_files()
        self.add_font("DejaVu", "", str(regular))
        self.add_font("DejaVu", "B", str(bold))
        self.footer_text = footer_text
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_title(title)
        self.set_author("Engagement-Monitor")
        self.set_creator("Engagement-Monitor (engage report)")
        self.set_lang("de-DE")
        self.alias_nb_pages()

    def footer(self) -> None:
        """Footer text left (type made smaller until it fits beside the page number), page number right."""
        self.set_y(-12)
        self.set_text_color(*MUTED)
        width = self.w - self.l_margin - self.r_margin - FOOTER_PAGE_MM
        size = 7.5
        self.set_font("DejaVu", "", size)
        while size > 5.5 and self.get_string_width(self.footer_text) > width:
            size -= 0.25
            self.set_font("DejaVu", "", size)
        self.cell(width, 4, self.footer_text, align="L")
        self.set_font("DejaVu", "", 7.5)
        self.cell(0, 4, f"Seite {self.page_no()} von {{nb}}", align="R")

    # --- building blocks ---------------------------------------------------------------------------------

    def notice(self, text: str) -> None:
        """A framed, filled box (the demo-data banner)."""
        self.set_font("DejaVu", "B", 9.5)
        self.set_text_color(*TEXT)
        self.set_fill_color(*NOTICE_FILL)
        self.set_draw_color(*TEXT)
        self.set_line_width(0.4)
        self.multi_cell(0, 5, text, border=1, fill=True, padding=2, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def kicker(self, text: str) -> None:
        self.set_font("DejaVu", "B", 9)
        self.set_text_color(*NAVY)
        self.cell(0, 5, text.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def title_text(self, text: str, size: float = 16) -> None:
        self.set_font("DejaVu", "B", size)
        self.set_text_color(*TEXT)
        # left-aligned: fpdf2's default (justified) stretches the spaces of a short title across the line
        self.multi_cell(0, size * 0.45, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 9, bold: bool = False, colour: tuple[int, int, int] = TEXT) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.48, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table_block(
        self, header: list[str], rows: list[list[str]], widths: tuple[float, ...], size: float = 7.5
    ) -> None:
        if not rows:
            self.paragraph("Keine Einträge.", 8, colour=MUTED)
            return
        self.set_font("DejaVu", "", size)
        self.set_text_color(*TEXT)
        self.set_draw_color(190, 190, 190)
        self.set_line_width(0.2)
        with self.table(
            col_widths=widths or None,
            width=sum(widths) if widths else None,
            line_height=size * 0.5,
            text_align="LEFT",
            headings_style=_headings(size),
            padding=(0.8, 1.0),
            first_row_as_headings=True,
        ) as table:
            table.row(header)
            for row in rows:
                table.row(row)
        self.ln(2)

    def chart(self, png: bytes, title: str, height_px: int, width_px: int) -> None:
        height_mm = CHART_WIDTH_MM * height_px / width_px
        if self.get_y() + height_mm + 6 > self.page_break_trigger:
            self.add_page()
        self.paragraph(title, 8.5, bold=True)
        self.image(io.BytesIO(png), x=self.l_margin, w=CHART_WIDTH_MM, h=height_mm)
        self.ln(1)


def _headings(size: float):  # noqa: ANN202 - fpdf2's FontFace
    from fpdf.fonts import FontFace

    return FontFace(family="DejaVu", emphasis="BOLD", size_pt=size, color=(255, 255, 255), fill_color=NAVY)


def write_pdf(
    content: ReportContent, out: Path, images: dict[int, list[bytes]], chart_note: str, width_px: int
) -> Path:
    """Draw ``content`` into ``out``; ``images[i]`` are the PNGs of section i's charts (may be empty)."""
    title = f"Engagement-Monitor – Bericht {content.town_name} {content.year}"
    footer = f"{content.town_name} ({content.town}) · Berichtsjahr {content.year} · {content.footer}"
    pdf = ReportPDF(f"DEMODATEN · {footer}" if content.demo_notice else footer, title)

    # page 1: summary
    pdf.add_page()
    if content.demo_notice:
        pdf.notice(content.demo_notice)
    pdf.kicker(f"Bericht für den Rat · {content.project}")
    pdf.title_text(f"{content.town_name} {content.year}: Engagement, Zusammenarbeit und Ziele", 17)
    pdf.paragraph(
        f"AGS {content.town} · Datenstand: {_date_text(content)} · ETL-Lauf Nr. {content.run_id}", 8.5, colour=MUTED
    )
    pdf.ln(2)
    summary = content.summary
    pdf.paragraph(summary.statement, 12, bold=True)
    pdf.ln(1.5)
    pdf.table_block(summary.header, summary.rows, (36, 19, 56, 45, 24), 7.2)
    pdf.paragraph(f"{summary.goals_heading} · {summary.goals_as_of}".strip(" ·"), 10.5, bold=True)
    if summary.goals_counts:
        pdf.paragraph(summary.goals_counts, 8.5)
    pdf.ln(1)
    pdf.table_block(summary.glance_header, glance_rows(summary), (23, 67, 21, 23, 21, 25), 6.8)
    pdf.paragraph(content.as_of_note, 8)
    if chart_note:
        pdf.ln(1)
        pdf.paragraph(chart_note, 8.5, colour=MUTED)

    # one page per family
    for i, section in enumerate(content.sections):
        _section_page(pdf, section, images.get(i, []), width_px)
        if section.title.startswith("Ziele"):
            pdf.paragraph(content.as_of_note, 8)

    # methods and sources
    pdf.add_page()
    pdf.kicker("Methodik und Quellen")
    pdf.title_text("So sind die Zahlen entstanden", 14)
    for note in content.method_notes:
        pdf.paragraph(note, 8.5)
        pdf.ln(1)
    pdf.paragraph(content.as_of_note, 8.5)
    pdf.ln(2)
    pdf.paragraph(f"Quellen des ETL-Laufs Nr. {content.run_id} (Datenstand {_date_text(content)})", 10, bold=True)
    pdf.table_block(SOURCE_HEADER, content.source_rows, (42, 56, 18, 22, 20, 22), 7)
    if content.source_note:
        pdf.paragraph(content.source_note, 7.5, colour=MUTED)

    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def glance_rows(summary: Summary) -> list[list[str]]:
    """The goals at a glance as table rows: status mark and word, goal with its reason below, the figures."""
    return [
        [
            f"{r.mark} {r.status_word}",
            f"{r.goal_id} {r.title}\n{r.reason}",
            *("\n".join(x for x in cell if x) for cell in r.cells),
        ]
        for r in summary.glance
    ]


def _date_text(content: ReportContent) -> str:
    from dashboard.formatting import fmt_datetime

    return fmt_datetime(content.data_date)


def _section_page(pdf: ReportPDF, section: Section, pngs: list[bytes], width_px: int) -> None:
    pdf.add_page()
    pdf.kicker(section.title)
    pdf.title_text(section.heading, 14)
    for chart, png in zip(section.charts, pngs, strict=False):
        pdf.chart(png, chart.title, chart.height, width_px)
    pdf.ln(1)
    pdf.table_block(section.header, section.rows, section.widths, 7.2)
    for note in section.notes:
        pdf.paragraph(note, 7.8, colour=MUTED)
