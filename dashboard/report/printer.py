"""Chromium's tagged print-to-PDF of the report's HTML (:mod:`.layout`), driven through choreographer.

choreographer comes with kaleido (the charts), so the report needs no browser driver of its own: it starts
Debian's Chromium headless (:func:`.charts.browser_path`) as :class:`.charts` does, without the flags that
switch off the same-origin policy, opens a blank tab, switches JavaScript off, sets the document's HTML
(never a ``file://`` URL) and asks ``Page.printToPDF`` for a tagged PDF with a document outline
(``generateTaggedPDF``, ``generateDocumentOutline``), the A4 size of the page's CSS and the footer template on
every page. The document's own Content-Security-Policy lets nothing load but its ``data:`` images.

Chromium tags what the HTML's structure holds and leaves the rest (the footer of every page, the
``aria-hidden`` kicker line above the title) outside any marked content; PDF/UA wants such page furniture
marked as an artifact, so :func:`mark_artifacts` wraps each of those text objects in ``/Artifact BMC … EMC``
(pypdf), leaving the tagged content, its MCIDs and the structure tree untouched.

Why Chromium rather than WeasyPrint's PDF/UA variant (both tried on the report's tables and charts):
Chromium writes ``/Scope`` on every header cell (Column/Row) and ``/Headers`` on every data cell, a Figure
with ``/Alt`` per image, ``/Lang`` from ``<html lang>``, ``DisplayDocTitle`` and bookmarks from the
headings, and it is already on the machine; WeasyPrint 70 left the header cells without ``/Scope`` and would
add a second layout engine (pango) beside the browser the charts need anyway.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, NameObject

from dashboard.report import charts

log = logging.getLogger("engagement_monitor")
TIMEOUT = 90  # seconds for starting the browser and printing one report


class PrintError(RuntimeError):
    """The PDF could not be printed (no browser, browser failed); German message."""


async def _print(html: str, footer: str) -> bytes:
    import choreographer

    browser_cls = charts.strict_chromium()
    async with choreographer.Browser(path=charts.browser_path(), browser_cls=browser_cls, headless=True) as browser:
        tab = await browser.create_tab("about:blank")
        await _ok(tab.send_command("Page.enable"))
        await _ok(tab.send_command("Emulation.setScriptExecutionDisabled", params={"value": True}))
        tree = await _ok(tab.send_command("Page.getFrameTree"))
        frame = tree["result"]["frameTree"]["frame"]["id"]
        loaded = tab.subscribe_once("Page.loadEventFired")
        await _ok(tab.send_command("Page.setDocumentContent", params={"frameId": frame, "html": html}))
        with contextlib.suppress(TimeoutError):  # data: images decode at once; printing waits for layout anyway
            await asyncio.wait_for(loaded, timeout=20)
        answer = await _ok(
            tab.send_command(
                "Page.printToPDF",
                params={
                    "preferCSSPageSize": True,
                    "printBackground": True,
                    "generateTaggedPDF": True,
                    "generateDocumentOutline": True,
                    "displayHeaderFooter": True,
                    "headerTemplate": "<span></span>",
                    "footerTemplate": footer,
                },
            )
        )
        return base64.b64decode(answer["result"]["data"])


async def _ok(command: object) -> dict:
    answer = await command  # type: ignore[misc]
    if "error" in answer:
        raise PrintError(f"Chromium: {answer['error'].get('message', answer['error'])}")
    return answer


def mark_artifacts(pdf: bytes) -> bytes:
    """``pdf`` with every text object outside marked content (page furniture: the footer) marked /Artifact."""
    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.ERROR  # Chromium's trailer /Size is one short: pypdf warns, reads fine
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    finally:
        quiet.setLevel(level)
    for page in writer.pages:
        stream = ContentStream(page.get_contents(), writer)
        operations, depth, wrapping = [], 0, False
        for operands, operator in stream.operations:
            if operator in (b"BDC", b"BMC"):
                depth += 1
            elif operator == b"EMC":
                depth -= 1
            if depth == 0 and operator == b"BT" and not wrapping:
                operations.append(([NameObject("/Artifact")], b"BMC"))
                wrapping = True
            operations.append((operands, operator))
            if wrapping and operator == b"ET":
                operations.append(([], b"EMC"))
                wrapping = False
        stream.operations = operations
        page.replace_contents(stream)
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _in_own_thread(work: Callable[[], bytes]) -> bytes:
    """``work()`` in a thread of its own: the caller's thread may run an event loop already (a Jupyter kernel,
    Playwright's sync API, an async server), in which ``asyncio.run`` refuses to start a second one."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bericht-druck") as pool:
        return pool.submit(work).result()


def print_pdf(html: str, footer: str) -> bytes:
    """The PDF bytes of ``html`` with ``footer`` on every page; raises :class:`PrintError` in German."""
    if charts.browser_path() is None:
        raise PrintError(
            "Der Bericht braucht Chromium (BROWSER_PATH nicht gesetzt, /usr/bin/chromium fehlt): "
            "apt-get install chromium"
        )
    try:
        return mark_artifacts(_in_own_thread(lambda: asyncio.run(asyncio.wait_for(_print(html, footer), TIMEOUT))))
    except PrintError:
        raise
    except Exception as exc:  # noqa: BLE001 - any browser failure becomes a German message
        # the browser's and asyncio's own words are English and technical: the log keeps them for the operator
        log.warning("Bericht nicht gedruckt: %s: %s", type(exc).__name__, exc)
        raise PrintError(
            "Der Bericht konnte nicht gedruckt werden: Chromium ist nicht gestartet oder hat abgebrochen "
            "(Einzelheiten im Protokoll des Servers). Bitte später erneut versuchen."
        ) from exc
