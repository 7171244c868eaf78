/*
 * The worker's JSON API as the dashboard calls it. Every address is relative to this file,
 * CONTEXT/dashboard/js/api.js, so the dashboard works under any context root and behind a
 * proxy that moves it; the browser sends the credentials it signed in with.
 */
window.Dashboard = window.Dashboard || {};

Dashboard.api = (() => {
    // document.currentScript is only set while this file first runs.
    const base = new URL('../../api/', document.currentScript.src);

    /** An answer other than 2xx, with the server's own message when it sent one. */
    class ApiError extends Error {
        constructor(message, status) {
            super(message);
            this.status = status;
        }
    }

    /** @param path relative to CONTEXT/api/, its segments already encoded (see segment) */
    function url(path, params = {}) {
        const address = new URL(path, base);
        for (const [name, value] of Object.entries(params)) {
            if (value !== undefined && value !== null && value !== '') {
                address.searchParams.set(name, value);
            }
        }
        return address;
    }

    async function call(method, path, params) {
        const headers = { Accept: 'application/json' };
        if (method === 'POST') {
            // The action endpoints take no body; the type keeps the request a JSON one.
            headers['Content-Type'] = 'application/json';
        }
        let response;
        try {
            response = await fetch(url(path, params), { method, headers, cache: 'no-store', credentials: 'same-origin' });
        } catch (e) {
            throw new ApiError(`${method} ${path}: no answer from the server (${e.message})`, 0);
        }
        const body = await response.text();
        const json = parse(body);
        if (!response.ok) {
            const reason = json && (json.message || json.error) || response.statusText || 'error';
            throw new ApiError(`${method} ${path}: ${response.status} ${reason}`, response.status);
        }
        return json;
    }

    function parse(body) {
        try {
            return body ? JSON.parse(body) : null;
        } catch (e) {
            return null;
        }
    }

    return {
        ApiError,
        get: (path, params) => call('GET', path, params),
        post: (path, params) => call('POST', path, params),
        /** One path segment (a job id, a schedule name), encoded. */
        segment: (text) => encodeURIComponent(text),
        /** The cursor of a "next" link (its before or after parameter), to page on from our own address. */
        cursor: (next, name) => next ? new URL(next).searchParams.get(name) : null,
    };
})();
