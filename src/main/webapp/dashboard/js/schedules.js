/*
 * Schedules (#/schedules) and one schedule with its firings (#/schedules/NAME?outcome=&before=).
 * Operators may pause, resume and run a schedule now; the firing that "run now" records is the
 * answer, shown as the outcome.
 */
document.addEventListener('alpine:init', () => {
    const PAGE_SIZE = 50;

    /** What the schedule's timetable is, in a few words. */
    function when(s) {
        if (s.cron) {
            return `cron ${s.cron}${s.zone ? ' (' + s.zone + ')' : ''}`;
        }
        if (s.every) {
            return `every ${Dashboard.format.duration(s.every)}`;
        }
        if (s.delay) {
            return `${Dashboard.format.duration(s.delay)} after each run`;
        }
        return s.at ? `once at ${Dashboard.format.time(s.at)}` : `once, ${Dashboard.format.duration(s.after)} after start`;
    }

    /** The buttons both pages share. */
    const actions = {
        when,

        operator() {
            return Alpine.store('me').operator;
        },

        path(schedule) {
            return `schedules/${Dashboard.api.segment(schedule.name)}`;
        },

        pause(schedule) {
            return this.act(async () => {
                await Dashboard.api.post(`${this.path(schedule)}/pause`);
                return `Paused ${schedule.name}: no firing until it is resumed.`;
            });
        },

        resume(schedule) {
            return this.act(async () => {
                await Dashboard.api.post(`${this.path(schedule)}/resume`);
                return `Resumed ${schedule.name}.`;
            });
        },

        runNow(schedule) {
            return this.act(async () => {
                const firing = await Dashboard.api.post(`${this.path(schedule)}/run`);
                return firing.outcome === 'RAN'
                    ? `Ran ${schedule.name} now: job ${firing.jobId}.`
                    : `${schedule.name} did not run: ${firing.outcome}${firing.detail ? ', ' + firing.detail : ''}.`;
            });
        },
    };

    Alpine.data('schedulesPage', () => Dashboard.page({
        ...actions,
        schedules: [],
        after: null,
        next: null,

        setUp(route) {
            this.after = route.params.after || null;
        },

        async load() {
            const page = await Dashboard.api.get('schedules', { limit: PAGE_SIZE, after: this.after });
            this.schedules = page.schedules;
            this.next = Dashboard.api.cursor(page.next, 'after');
        },
    }));

    Alpine.data('schedulePage', () => Dashboard.page({
        ...actions,
        outcomes: ['RAN', 'SKIPPED_OVERLAP', 'SKIPPED_FROZEN', 'MISSED'],
        name: null,
        outcome: '',
        before: null,
        schedule: null,
        firings: [],
        next: null,

        setUp(route) {
            this.name = route.name;
            this.outcome = route.params.outcome || '';
            this.before = route.params.before || null;
        },

        async load() {
            const path = `schedules/${Dashboard.api.segment(this.name)}`;
            const [schedule, page] = await Promise.all([Dashboard.api.get(path),
                Dashboard.api.get(`${path}/firings`, { outcome: this.outcome, limit: PAGE_SIZE, before: this.before })]);
            this.schedule = schedule;
            this.firings = page.firings;
            this.next = Dashboard.api.cursor(page.next, 'before');
        },

        filterBy(outcome) {
            location.hash = Dashboard.link(`schedules/${Dashboard.api.segment(this.name)}`, { outcome });
        },

        nextPage() {
            return Dashboard.link(`schedules/${Dashboard.api.segment(this.name)}`, { outcome: this.outcome, before: this.next });
        },
    }));
});
