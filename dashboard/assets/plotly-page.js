/* plotly.js on a page (issue 13): evaluated once, while the page waits for the server; a resize that would
 * change nothing is not done.
 *
 * Evaluating plotly.js (1,5 MB, dashboard/components/preload.py) takes the main thread 400–500 ms in headless
 * Chromium on the 2-core machine. dcc.Graph loads it only when the first chart is mounted: on a first visit that
 * is after the page content has arrived and been laid out, so the evaluation came on top of the page's other
 * work, and after a link from a page without charts (Methodik, the sign-in form) the whole evaluation fell into
 * that navigation. Here the preloaded script is run in the first idle moment of any page: on a first visit while
 * the renderer waits for the layout and the page content, on a page without charts before the reader clicks on.
 *
 * Until it has run, window.Plotly is a thenable. dcc.Graph waits for `Promise.resolve(window.Plotly || <its own
 * loader>)`: it takes the thenable, which starts the load at once if the idle moment has not come yet, and never
 * adds a second script element of its own. Anything else asking for window.Plotly gets the real plotly.js once
 * it has run (the chart card's image buttons run only on drawn charts).
 *
 * The resize guard: dcc.Graph asks Plotly to resize each chart after its first draw (the placeholder "…") and
 * whenever the chart's box changes (the real figure replacing the placeholder). Plotly.Plots.resize then waits
 * 100 ms and lays the chart out again (relayout with autosize), also when the chart already has the size of its
 * box: on a page of eight charts a second round of work on every chart, after the last one was drawn
 * (bench/browser.py: the last change to a chart came 130–200 ms after the last real draw). Here such a resize
 * answers at once; a chart whose box has another size than it was drawn at (a window resized, printing, a hidden
 * screen shown) is resized by Plotly as before. "The same size" is Plotly's own rule in plotAutoSize: within 1 px
 * of the drawn width and height. The guard is put on when plotly.js assigns window.Plotly.
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
    let loading;
    // the head's preload link (dashboard/components/preload.py); without it dcc.Graph loads plotly.js itself
    const preload = document.getElementById('plotly-preload');

    function load() {
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                const script = document.createElement('script');
                script.src = preload.href;
                script.async = true;
                script.onload = function () {
                    if (current) { resolve(current); } else { reject(new Error('plotly.js did not load')); }
                };
                script.onerror = reject;
                document.head.appendChild(script);
            });
        }
        return loading;
    }

    const pending = preload && {then: function (done, failed) { return load().then(done, failed); }};
    Object.defineProperty(window, 'Plotly', {
        configurable: true,
        enumerable: true,
        get: function () { return current || pending; },
        set: function (value) { current = value; guard(value); },
    });
    if (preload) {
        const idle = window.requestIdleCallback || function (run) { return window.setTimeout(run, 1); };
        window.addEventListener('load', function () { idle(load); });
    }
})();
