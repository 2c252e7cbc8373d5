"""Chromium's tagged print-to-PDF of the report's HTML (:mod:`.layout`), driven through choreographer.

choreographer comes with kaleido (the charts), so the report needs no browser driver of its own: it starts
Debian's Chromium headless (:func:`.charts.browser_path`) as :class:`.charts` does, without the flags that
switch off the same-origin policy, opens a blank tab, switches JavaScript off, sets the document's HTML
(never a ``file://`` URL) and asks ``Page.printToPDF`` for a tagged PDF with a document outline
(``generateTaggedPDF``, ``generateDocumentOutline``), the A4 size of the page's CSS and the footer template on
every page. The document's own Content-Security-Policy lets nothing load but its ``data:`` images.

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

from dashboard.report import charts

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


def print_pdf(html: str, footer: str) -> bytes:
    """The PDF bytes of ``html`` with ``footer`` on every page; raises :class:`PrintError` in German."""
    if charts.browser_path() is None:
        raise PrintError(
            "Der Bericht braucht Chromium (BROWSER_PATH nicht gesetzt, /usr/bin/chromium fehlt): "
            "apt-get install chromium"
        )
    try:
        return asyncio.run(asyncio.wait_for(_print(html, footer), timeout=TIMEOUT))
    except PrintError:
        raise
    except Exception as exc:  # noqa: BLE001 - any browser failure becomes a German message
        raise PrintError(f"Der Bericht konnte nicht gedruckt werden: {type(exc).__name__}: {exc}") from exc
