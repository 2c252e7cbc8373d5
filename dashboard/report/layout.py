"""The print layout of the council report: one semantic HTML document that Chromium prints to a tagged PDF.

The structure a screen reader needs comes from the HTML itself (:mod:`.printer` asks Chromium for a tagged
PDF): ``<html lang>`` becomes the document language, ``<title>`` the document title, ``h1``/``h2``/``h3`` the
heading tags (and the bookmarks), ``<table>`` with ``<th scope>`` the table and header cells, ``<img alt>`` a
Figure with its alternative text, and the order of the source the reading order. Decoration
(the kicker line above the title, rules) is CSS or ``aria-hidden`` so it is not read as content.

Every text from the warehouse (town names, goal titles from the XLSX plan, file names) is HTML-escaped here
(:func:`markupsafe.escape`), and the page allows nothing to load but the chart images embedded as ``data:``
URIs (a Content-Security-Policy of ``default-src 'none'``): a hostile string cannot fetch or read anything.
Fonts are the system's DejaVu Sans (Debian ``fonts-dejavu-core``), which Chromium finds without loading.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from markupsafe import Markup, escape

from dashboard.i18n import t
from dashboard.report.content import Chart, ReportContent, Section, Summary, source_header

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
PAGE_MARGIN = "14mm 15mm 17mm 15mm"  # the bottom margin holds the footer Chromium draws on every page

STYLE = """
@page { size: A4; margin: PAGE_MARGIN; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", sans-serif; font-size: 8.6pt; color: #111; line-height: 1.35;
       font-variant-ligatures: none; }  /* "fi" stays two letters for search, copy and screen readers */
body { margin: 0; }
h1, h2, h3 { color: #111; margin: 0; line-height: 1.2; text-align: left; }
h1 { font-size: 15pt; margin: .8mm 0 1mm; }
h2 { font-size: 11.5pt; margin: 3mm 0 1.2mm; color: #1f3a5f; }
h3 { font-size: 10pt; margin: 3mm 0 1mm; }
p { margin: 0 0 1.5mm; text-align: left; }
.kicker { font-weight: bold; color: #1f3a5f; letter-spacing: .04em; text-transform: uppercase; margin: 0; }
.meta, .note { color: #404040; }
.note { font-size: 7.8pt; }
h2.statement { color: #111; }
.lead { font-size: 10.5pt; font-weight: bold; }
.notice { border: 1.2pt solid #111; background: #fff3cd; padding: 2mm; font-weight: bold; margin-bottom: 2mm; }
table { border-collapse: collapse; width: 100%; margin: .5mm 0 2mm; font-size: 7.1pt; line-height: 1.25; }
caption { text-align: left; font-weight: bold; font-size: 8pt; padding-bottom: .8mm; }
th, td { border: .5pt solid #bebebe; padding: .6mm 1mm; text-align: left; vertical-align: top; }
thead th { background: #1f3a5f; color: #fff; }
tbody th { font-weight: bold; }
tr { break-inside: avoid; }
.chart { margin: 1mm 0 2.5mm; break-inside: avoid; }
.chart h3 { font-size: 8.6pt; margin: 1.5mm 0 1mm; }
img { display: block; width: 100%; height: auto; }
section.family, section.methods { break-before: page; }
.summary-chart { margin-bottom: 0; }
""".replace("PAGE_MARGIN", PAGE_MARGIN)


def _e(text: object) -> Markup:
    return escape(str(text))


def _image(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    caption: str,
    widths: Sequence[float] = (),
    empty: str = "",
    row_headers: bool = True,
) -> str:
    """A data table: a caption, column headers (``th scope="col"``), the first cell of a row as its header
    (``th scope="row"``) when ``row_headers``; cells may hold line breaks (a value, then its date)."""
    if not rows:
        return f'<p class="note">{_e(empty)}</p>'
    cols = ""
    if widths:
        total = sum(widths)
        cols = "<colgroup>" + "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in widths) + "</colgroup>"
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            lines = [line for line in str(cell).split("\n") if line]
            text = Markup("<br>").join(_e(line) for line in lines)
            if i == 0 and row_headers:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><caption>{_e(caption)}</caption>{cols}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def figure(chart: Chart, png: bytes | None, css_class: str = "") -> str:
    """A chart: its title as a heading (H3), then the image with its alternative text (a Figure with /Alt);
    without a picture nothing (the note on page 1 says why, the tables hold the values). Not an HTML
    ``<figure>``: Chromium tags that as a second Figure around the image, one without an alternative text."""
    if png is None:
        return ""
    return (
        f'<div class="chart {css_class}"><h3>{_e(chart.title)}</h3>'
        f'<img src="{_image(png)}" alt="{_e(chart.alt)}"></div>'
    )


def glance_table(summary: Summary, caption: str, empty: str) -> str:
    """The goals at a glance: status mark and word first (never colour alone), the goal's id and title with
    its reason below, then current value, target, progress and the change since the last measurement."""
    rows = [
        [
            f"{r.mark} {r.status_word}",
            f"{r.goal_id} {r.title}\n{r.reason}",
            *("\n".join(x for x in cell if x) for cell in r.cells),
        ]
        for r in summary.glance
    ]
    return table(summary.glance_header, rows, caption, (11, 41, 12, 12, 13, 11), empty, row_headers=False)


def summary_page(content: ReportContent, chart_png: bytes | None) -> str:
    """Page 1: title, the headline statement and figures, the goals at a glance with their status marks, one
    chart."""
    lang, s = content.lang, content.summary
    parts = []
    if content.demo_notice:
        parts.append(f'<p class="notice" role="note">{_e(content.demo_notice)}</p>')
    parts.append(f'<p class="kicker" aria-hidden="true">{_e(content.kicker)}</p>')
    parts.append(f"<h1>{_e(content.heading)}</h1>")
    parts.append(f'<p class="meta">{_e(content.meta)}</p>')
    # the headline statement is the heading of the figures, the goal count the heading of the goals
    parts.append(f'<h2 class="statement">{_e(s.statement)}</h2>')
    parts.append(table(s.header, s.rows, t("report.figures", lang, year=content.year), (20, 13, 28, 22, 17)))
    if s.chart is not None:
        parts.append(figure(s.chart, chart_png, "summary-chart"))
    goals_title = " · ".join(x for x in (s.goals_heading, s.goals_as_of) if x)
    parts.append(f"<h2>{_e(t('report.glance', lang))}: {_e(goals_title)}</h2>")
    if s.glance:
        parts.append(glance_table(s, s.goals_counts or t("report.glance", lang), t("report.no_rows", lang)))
        parts.append(f'<p class="note">{_e(s.marks)}</p>')  # the heading names the date; the goal page the rest
    if content.chart_note:
        parts.append(f'<p class="note">{_e(content.chart_note)}</p>')
    return '<section class="summary">' + "".join(parts) + "</section>"


def section_page(section: Section, pngs: Sequence[bytes], lang: str, extra_note: str = "") -> str:
    """One family: its name (H2), its finding, its charts, its value table and notes."""
    parts = [f"<h2>{_e(section.title)}</h2>", f'<p class="lead">{_e(section.heading)}</p>']
    parts += [figure(chart, png) for chart, png in zip(section.charts, pngs, strict=False)]
    parts.append(table(section.header, section.rows, section.title, section.widths, t("report.no_rows", lang)))
    parts += [f'<p class="note">{_e(note)}</p>' for note in section.notes]
    if extra_note:
        parts.append(f'<p class="note">{_e(extra_note)}</p>')
    return '<section class="family">' + "".join(parts) + "</section>"


def methods_page(content: ReportContent) -> str:
    lang = content.lang
    parts = [f"<h2>{_e(content.methods_heading)}</h2>", f'<p class="lead">{_e(content.methods_lead)}</p>']
    parts += [f"<p>{_e(note)}</p>" for note in content.method_notes]
    parts.append(f"<p>{_e(content.as_of_note)}</p>")
    parts.append(f"<h3>{_e(content.sources_heading)}</h3>")
    parts.append(
        table(
            source_header(lang),
            content.source_rows,
            content.sources_caption,
            (26, 38, 9, 9, 9, 9),
            t("report.no_rows", lang),
        )
    )
    if content.source_note:
        parts.append(f'<p class="note">{_e(content.source_note)}</p>')
    return '<section class="methods">' + "".join(parts) + "</section>"


def html_lang(lang: str) -> str:
    """The document language tag: de-DE or en-GB (the PDF's /Lang)."""
    return "en-GB" if lang == "en" else "de-DE"


def report_html(content: ReportContent, summary_png: bytes | None, images: dict[int, list[bytes]]) -> str:
    """The whole report as one HTML document (``images[i]``: the PNGs of section i's charts)."""
    goals_index = len(content.sections) - 1  # the goal family closes with the as-of note
    body = [summary_page(content, summary_png)]
    for i, section in enumerate(content.sections):
        closing = content.as_of_note if i == goals_index else ""
        body.append(section_page(section, images.get(i, []), content.lang, closing))
    body.append(methods_page(content))
    return document(content.lang, content.title, "".join(body))


def document(lang: str, title: str, body: str) -> str:
    """An HTML print document: language, title, the policy that lets only ``data:`` images load, the style;
    ``body`` is trusted markup (built here from escaped text)."""
    return (
        f'<!DOCTYPE html><html lang="{html_lang(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def footer_html(content: ReportContent) -> str:
    """Chromium's footer template: town, year, data date, run left; "Seite x von y" right (on every page)."""
    text = f"{t('report.demo_mark', content.lang)} · {content.footer}" if content.demo_notice else content.footer
    numbers = {"page": '<span class="pageNumber"></span>', "pages": '<span class="totalPages"></span>'}
    page = t("report.page", content.lang, **numbers)
    return (
        '<div style="font-family:\'DejaVu Sans\',sans-serif;font-size:6.8pt;color:#404040;width:100%;'
        'margin:0 15mm;display:flex;justify-content:space-between;gap:4mm">'
        f"<span>{_e(text)}</span><span style=\"white-space:nowrap\">{page}</span></div>"
    )
