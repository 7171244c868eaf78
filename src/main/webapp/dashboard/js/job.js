/*
 * Job (#/jobs/ID): the job with its history as a timeline, its attempts with the error that
 * ended each, and the lines its handler logged; operators may requeue it (DEAD or CANCELLED)
 * or cancel it (while it has not finished).
 */
document.addEventListener('alpine:init', () => {
    const FINAL = ['SUCCEEDED', 'DEAD', 'CANCELLED', 'REJECTED'];
    const ENDS_AN_ATTEMPT = ['FAILED', ...FINAL];

    /** Each RUNNING entry of the history starts an attempt; the next failure or end closes it. */
    function attemptsOf(history) {
        const attempts = [];
        for (const entry of history || []) {
            if (entry.state === 'RUNNING') {
                attempts.push({ number: attempts.length + 1, startedAt: entry.at, endedAt: null, outcome: 'RUNNING', error: '' });
            } else if (ENDS_AN_ATTEMPT.includes(entry.state) && attempts.length && !attempts[attempts.length - 1].endedAt) {
                Object.assign(attempts[attempts.length - 1], { endedAt: entry.at, outcome: entry.state, error: entry.detail || '' });
            }
        }
        return attempts;
    }

    Alpine.data('jobPage', () => Dashboard.page({
        id: null,
        job: null,
        lines: [],
        keeps: 0,
        attempts: [],

        setUp(route) {
            this.id = route.id;
        },

        async load() {
            const path = `jobs/${Dashboard.api.segment(this.id)}`;
            const [job, log] = await Promise.all([Dashboard.api.get(path), Dashboard.api.get(`${path}/log`)]);
            this.job = job;
            this.attempts = attemptsOf(job.history);
            this.lines = log.lines;
            this.keeps = log.keeps;
        },

        canRequeue() {
            return Alpine.store('me').operator && this.job && ['DEAD', 'CANCELLED'].includes(this.job.state);
        },

        canCancel() {
            return Alpine.store('me').operator && this.job && !FINAL.includes(this.job.state);
        },

        requeue() {
            return this.act(async () => {
                await Dashboard.api.post(`jobs/${Dashboard.api.segment(this.id)}/requeue`);
                return 'Requeued: the job runs again with a fresh set of attempts.';
            });
        },

        cancel() {
            return this.act(async () => {
                const job = await Dashboard.api.post(`jobs/${Dashboard.api.segment(this.id)}/cancel`);
                return job.cancelRequested
                    ? 'Cancel requested: the running handler is told to stop.'
                    : 'Cancelled: the job will not run.';
            });
        },
    }));
});
