/* Sign-in (issue 12): when the session has ended, Dash's background requests answer 401; go to the sign-in
   page and come back to this view afterwards, instead of leaving the page half updated. */
(function () {
    const original = window.fetch;
    window.fetch = function (input, init) {
        return original.apply(this, arguments).then(function (response) {
            const url = typeof input === 'string' ? input : (input && input.url) || '';
            if (response.status === 401 && url.indexOf('/_dash-') !== -1) {
                const next = window.location.pathname + window.location.search;
                window.location.assign('/anmelden?next=' + encodeURIComponent(next));
            }
            return response;
        });
    };
})();
