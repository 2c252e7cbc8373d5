"""Charts of the report as PNG, rendered by kaleido from the dashboard's own figure dicts.

kaleido 1.x drives a Chrome through choreographer, which looks for the browser in ``BROWSER_PATH``
before searching ``PATH``; nothing can be downloaded here, so :func:`browser_path` points it at Debian's
Chromium. plotly.js comes from the installed plotly package and MathJax is switched off, so rendering
needs no network. One browser serves all charts of a report (starting it is the slow part, ~2–5 s);
the dashboard's download route keeps it running between requests.

If the charts cannot be rendered, :func:`render_png` raises :class:`ChartError` and the report is built
without pictures, saying so (its tables hold every value); the report itself is printed by the same Chromium
(:mod:`.printer`), so without any browser there is no report and the error says which package to install.

choreographer starts Chromium with ``--disable-web-security`` and ``--allow-file-access-from-files``;
the charts need neither (kaleido's page loads plotly.js as a script, not by fetch), so
:class:`StrictChromium` — passed as choreographer's documented ``browser_cls`` — drops both: a figure
with a hostile string in it cannot read local files or other origins from the rendering browser.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Figure = dict[str, Any]

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
WIDTH = 900  # CSS pixels of a full-width chart; scaled ×2 → about 250 dpi at 18 cm
SCALE = 2

_lock = threading.Lock()
_keep_running = False


class ChartError(RuntimeError):
    """The charts could not be rendered (no browser, browser crashed); German message."""


def browser_path() -> str | None:
    """The browser kaleido will use: ``BROWSER_PATH`` if set, else Debian's Chromium (and set it)."""
    if os.environ.get("BROWSER_PATH"):
        return os.environ["BROWSER_PATH"]
    for candidate in CANDIDATES:
        if Path(candidate).is_file():
            os.environ["BROWSER_PATH"] = candidate
            return candidate
    found = shutil.which("chromium") or shutil.which("google-chrome")
    if found:
        os.environ["BROWSER_PATH"] = found
    return found


DROPPED_FLAGS = frozenset({"--disable-web-security", "--allow-file-access-from-files"})


def strict_chromium() -> type:
    from choreographer.browsers.chromium import Chromium

    class StrictChromium(Chromium):
        """choreographer's Chromium without the flags that switch off the same-origin policy."""

        def get_cli(self) -> list[str]:
            return [arg for arg in super().get_cli() if arg not in DROPPED_FLAGS]

    return StrictChromium


def keep_running(keep: bool = True) -> None:
    """Keep the browser between reports (the dashboard's download route); the CLI closes it after one."""
    global _keep_running
    _keep_running = keep


def _with_size(figure: Figure, width: int) -> Figure:
    layout = {**figure.get("layout", {}), "width": width}
    layout.setdefault("height", 340)
    return {"data": figure.get("data", []), "layout": layout}


def render_png(figures: Sequence[Figure], width: int = WIDTH, scale: int = SCALE) -> list[bytes]:
    """Each figure as PNG bytes, in order; raises :class:`ChartError` with the reason in German."""
    if not figures:
        return []
    if browser_path() is None:
        raise ChartError(
            "Kein Chromium gefunden (BROWSER_PATH nicht gesetzt, /usr/bin/chromium fehlt): apt-get install chromium"
        )
    import kaleido

    with _lock:
        started_here = False
        try:
            if not kaleido._global_server.is_running():  # noqa: SLF001 - the public API has no "is running"
                kaleido.start_sync_server(
                    n=1, timeout=60, mathjax=False, silence_warnings=True, browser_cls=strict_chromium()
                )
                started_here = True
            images = []
            for figure in figures:
                sized = _with_size(figure, width)
                opts = {"format": "png", "width": width, "height": sized["layout"]["height"], "scale": scale}
                images.append(kaleido.calc_fig_sync(sized, opts=opts))
            return images
        except Exception as exc:  # noqa: BLE001 - any browser failure becomes a German message
            raise ChartError(f"Die Diagramme konnten nicht erzeugt werden: {type(exc).__name__}: {exc}") from exc
        finally:
            if started_here and not _keep_running:
                kaleido.stop_sync_server(silence_warnings=True)


def stop() -> None:
    """Close the browser if it runs (end of the dashboard process)."""
    import kaleido

    with _lock:
        if kaleido._global_server.is_running():  # noqa: SLF001
            kaleido.stop_sync_server(silence_warnings=True)
