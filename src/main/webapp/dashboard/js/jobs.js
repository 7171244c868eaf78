/*
 * Jobs (#/jobs?state=&type=&from=&to=&idempotencyKey=&errorContains=&error=&before=): the list
 * API's filters, applied by the server and kept in the address, so a filtered page can be
 * linked and reloaded; paging follows the list's "next" cursor. Operators may requeue the
 * dead jobs the filter matches.
 */
document.addEventListener('alpine:init', () => {
    const FILTERS = ['state', 'type', 'from', 'to', 'idempotencyKey', 'errorContains', 'error'];
    const PAGE_SIZE = 50;

    /** The filters of the address, without empty ones. */
    const filtersOf = (params) => Object.fromEntries(FILTERS.filter((f) => params[f]).map((f) => [f, params[f]]));

    Alpine.data('jobsPage', () => Dashboard.page({
        states: ['QUEUED', 'SCHEDULED', 'RUNNING', 'FAILED', 'SUCCEEDED', 'DEAD', 'CANCELLED', 'REJECTED'],
        filters: {},
        before: null,
        form: {},
        jobs: [],
        next: null,

        setUp(route) {
            const params = route.params;
            this.filters = filtersOf(params);
            this.before = params.before || null;
            this.form = {
                state: this.filters.state || '',
                type: this.filters.type || '',
                from: Dashboard.format.localInput(this.filters.from),
                to: Dashboard.format.localInput(this.filters.to),
                idempotencyKey: this.filters.idempotencyKey || '',
                errorContains: this.filters.errorContains || '',
            };
        },

        async load() {
            const page = await Dashboard.api.get('jobs', { ...this.filters, limit: PAGE_SIZE, before: this.before });
            this.jobs = page.jobs;
            this.next = Dashboard.api.cursor(page.next, 'before');
        },

        /** Applies the form: a new address, and so a new page from its first entry. */
        apply() {
            location.hash = Dashboard.link('jobs', {
                ...this.form,
                from: Dashboard.format.instant(this.form.from),
                to: Dashboard.format.instant(this.form.to),
                error: this.filters.error,
            });
        },

        withoutExactError() {
            return Dashboard.link('jobs', { ...this.filters, error: undefined });
        },

        nextPage() {
            return Dashboard.link('jobs', { ...this.filters, before: this.next });
        },

        firstPage() {
            return Dashboard.link('jobs', this.filters);
        },

        canRequeueMatching() {
            return Alpine.store('me').operator && this.filters.state === 'DEAD' && this.jobs.length > 0;
        },

        /** The whole filter's dead jobs are requeued, not only this page's: the label says which. */
        requeueLabel() {
            return this.next || this.before
                ? 'Requeue all dead jobs matching this filter'
                : `Requeue the ${this.jobs.length} shown dead job${this.jobs.length === 1 ? '' : 's'}`;
        },

        requeueMatching() {
            const { state, ...filter } = this.filters;
            return this.act(async () => {
                const answer = await Dashboard.api.post('jobs/requeue', filter);
                return `Requeued ${answer.requeued} dead job${answer.requeued === 1 ? '' : 's'}.`;
            });
        },
    }));
});
