/* The browser half of dashboard/components/static_html.py (issue 13): one Dash component that draws a whole
 * fixed html tree (a table of hundreds of cells) with React alone. Dash's renderer runs every component's
 * selectors on every store change, so a table of 1 000 html.Td components cost seconds of main thread per page;
 * drawn here it is one component. The markup is the same as the html.* components would give: text is escaped by
 * React (no innerHTML), and a dcc.Link inside navigates as dcc.Link does (pushState, no reload). */
(function () {
    'use strict';

    function navigate(event) {
        if (event.metaKey || event.shiftKey || event.altKey || event.ctrlKey) { return; }
        const a = event.currentTarget;
        if (a.target && a.target !== '_self') { return; }
        event.preventDefault();
        window.history.pushState({}, '', a.getAttribute('href'));
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
        window.scrollTo(0, 0);
    }

    // A URL attribute never runs script, whatever text reached it (as Dash's own html.A and dcc.Link refuse it)
    const URL_PROPS = ['href', 'src', 'action', 'formAction', 'data', 'poster', 'cite'];
    const SCRIPTED = /^(javascript|vbscript|data):/i;

    function safeUrl(value) {
        if (typeof value !== 'string') { return value; }
        // browsers ignore control characters and spaces inside a scheme ("java\tscript:")
        return SCRIPTED.test(value.replace(/[\u0000-\u0020]/g, '')) ? 'about:blank' : value;
    }

    function build(node, key) {
        if (node === null || node === undefined || typeof node !== 'object') { return node; }
        if (Array.isArray(node)) { return node.map(build); }
        const props = Object.assign({}, node.p);
        for (const name of Object.keys(props)) {
            // only markup attributes: an event handler or raw HTML can never come through the tree
            if (/^on/i.test(name) || name === 'dangerouslySetInnerHTML') { delete props[name]; }
        }
        URL_PROPS.forEach(function (name) { if (name in props) { props[name] = safeUrl(props[name]); } });
        if (key !== undefined) { props.key = key; }
        if (node.link) {
            props.onClick = navigate;
        }
        const kids = Array.isArray(node.c) ? node.c.map(build) : build(node.c);
        return React.createElement(node.t, props, kids);
    }

    function StaticHtml(props) {
        return build(props.tree);
    }

    window.engage_static = {StaticHtml: StaticHtml};
})();
