/* Charts (issue 13): a Plotly resize that would change nothing is not done.
 *
 * dcc.Graph asks Plotly to resize each chart after its first draw (the placeholder "…") and whenever the chart's
 * box changes (the real figure replacing the placeholder). Plotly.Plots.resize then waits 100 ms and lays the
 * chart out again (relayout with autosize), also when the chart already has the size of its box: on a page of
 * eight charts a second round of work on every chart, after the last one was drawn (bench/browser.py: the last
 * change to a chart came 130–200 ms after the last real draw). Here such a resize answers at once; a chart whose
 * box has another size than it was drawn at (a window resized, printing, a hidden screen shown) is resized by
 * Plotly as before. "The same size" is Plotly's own rule in plotAutoSize: within 1 px of the drawn width and
 * height. plotly.js sets window.Plotly when the first chart loads it (dashboard/components/preload.py), so the
 * guard is put on at that assignment.
 */
(function () {
    'use strict';

    function sameSize(gd) {
        const full = gd && gd._fullLayout;
        if (!full || !gd.layout || gd.layout.autosize === false || !gd.isConnected) { return false; }
        const style = window.getComputedStyle(gd);
        const width = parseFloat(style.width);
        const height = parseFloat(style.height);
        return Math.abs(width - full.width) <= 1 && Math.abs(height - full.height) <= 1;
    }

    function guard(Plotly) {
        if (!Plotly || !Plotly.Plots || Plotly.Plots.engageResizeGuard) { return; }
        const resize = Plotly.Plots.resize;
        Plotly.Plots.resize = function (gd) {
            const div = typeof gd === 'string' ? document.getElementById(gd) : gd;
            if (sameSize(div)) { return Promise.resolve(div); }
            return resize.apply(this, arguments);
        };
        Plotly.Plots.engageResizeGuard = true;
    }

    if (window.Plotly) {
        guard(window.Plotly);
        return;
    }
    let current;
    Object.defineProperty(window, 'Plotly', {
        configurable: true,
        enumerable: true,
        get: function () { return current; },
        set: function (value) { current = value; guard(value); },
    });
})();
