/* Published runs (issue 17): a page opened with ?run=N shows run N. Dash's background requests do not carry the
   page's URL, so each one gets the run of the page's query string in a header the server reads
   (dashboard/published.py); without ?run=N nothing is added and the latest run is read. */
(function () {
    const original = window.fetch;
    window.fetch = function (input, init) {
        const url = typeof input === 'string' ? input : (input && input.url) || '';
        const run = new URLSearchParams(window.location.search).get('run');
        if (run && url.indexOf('/_dash-') !== -1) {
            init = Object.assign({}, init || {});
            const headers = new Headers(init.headers || {});
            headers.set('X-Engage-Run', run);
            init.headers = headers;
            return original.call(this, input, init);
        }
        return original.apply(this, arguments);
    };
})();
