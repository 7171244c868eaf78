/*
 * What every page shares: the hash route (#/jobs?state=DEAD, #/jobs/ID, ...), the signed-in
 * user's roles (buttons show only for the roles that may use them), the message area, and
 * Dashboard.page, which loads a page's data and refreshes it every few seconds while it is shown.
 */
window.Dashboard = window.Dashboard || {};

Dashboard.REFRESH_MS = 3000;

/** Reads a location hash into {page, id, name, params, key}; anything unknown is the overview. */
Dashboard.route = (hash) => {
    const text = (hash || '').replace(/^#/, '');
    const question = text.indexOf('?');
    const path = question < 0 ? text : text.slice(0, question);
    const params = Object.fromEntries(new URLSearchParams(question < 0 ? '' : text.slice(question + 1)));
    let parts;
    try {
        parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    } catch (e) {
        parts = [];
    }
    const route = { page: 'overview', id: null, name: null, params, key: hash || '#/overview' };
    if (parts[0] === 'jobs') {
        Object.assign(route, parts[1] ? { page: 'job', id: parts[1] } : { page: 'jobs' });
    } else if (parts[0] === 'schedules') {
        Object.assign(route, parts[1] ? { page: 'schedule', name: parts[1] } : { page: 'schedules' });
    } else if (['dead', 'servers'].includes(parts[0])) {
        route.page = parts[0];
    }
    return route;
};

/** A hash route with its query: Dashboard.link('jobs', {state: 'DEAD'}) is #/jobs?state=DEAD. */
Dashboard.link = (path, params = {}) => {
    const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    return `#/${path}${query.toString() ? '?' + query : ''}`;
};

/**
 * A page component: calls its setUp(route) once, then its load() now and every REFRESH_MS while
 * it is shown (not while holdRefresh is set, nor while a load is still under way), and stops
 * when its route is left: each address is a page of its own.
 * Its act() runs a button's call and shows the outcome in the message area.
 */
Dashboard.page = (definition) => ({
    loading: false,
    again: false,
    loaded: false,
    holdRefresh: false,
    timer: null,

    init() {
        if (this.setUp) {
            this.setUp(Alpine.store('route').view);
        }
        this.refresh();
        this.timer = setInterval(() => {
            if (!this.holdRefresh && !document.hidden) {
                this.refresh();
            }
        }, Dashboard.REFRESH_MS);
    },

    destroy() {
        clearInterval(this.timer);
        if (this.tearDown) {
            this.tearDown();
        }
    },

    async refresh() {
        if (this.loading) {
            // Once more when this one is done: what a button changed must show at once.
            this.again = true;
            return;
        }
        this.loading = true;
        try {
            await this.load();
            this.loaded = true;
            Alpine.store('status').refreshedAt = new Date();
            Alpine.store('messages').settled('refresh');
        } catch (e) {
            Alpine.store('messages').error(e.message, 'refresh');
        } finally {
            this.loading = false;
            if (this.again) {
                this.again = false;
                this.refresh();
            }
        }
    },

    acting: false,

    /** @param call returns the notice to show when it worked */
    async act(call) {
        if (this.acting) {
            return;
        }
        this.acting = true;
        try {
            Alpine.store('messages').notice(await call());
        } catch (e) {
            Alpine.store('messages').error(e.message, 'action');
        } finally {
            this.acting = false;
        }
        await this.refresh();
    },

    ...definition,
});

document.addEventListener('alpine:init', () => {
    // $fmt.time(job.createdAt) and the like in the markup
    Alpine.magic('fmt', () => Dashboard.format);

    // Replaced, not changed, on each move: a page shown keeps the route it was made for.
    Alpine.store('route', { view: Dashboard.route(location.hash) });

    Alpine.store('messages', {
        text: '',
        kind: '',
        source: '',
        error(text, source) {
            Object.assign(this, { text, kind: 'error', source });
        },
        notice(text) {
            Object.assign(this, { text, kind: 'notice', source: 'action' });
        },
        clear() {
            Object.assign(this, { text: '', kind: '', source: '' });
        },
        /** A refresh that works again takes back the error an earlier one showed. */
        settled(source) {
            if (this.source === source) {
                this.clear();
            }
        },
    });

    Alpine.store('status', { refreshedAt: null });

    Alpine.store('me', {
        user: '',
        roles: [],
        get operator() {
            return this.roles.includes('job-operator');
        },
        async load() {
            try {
                Object.assign(this, await Dashboard.api.get('me'));
            } catch (e) {
                Alpine.store('messages').error(e.message, 'me');
            }
        },
    });
    Alpine.store('me').load();

    window.addEventListener('hashchange', () => {
        Alpine.store('route').view = Dashboard.route(location.hash);
        Alpine.store('messages').clear();
    });
});
