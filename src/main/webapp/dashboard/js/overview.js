/*
 * Overview (#/overview): counts by state, jobs finished per minute over the last hour (a uPlot
 * chart), queue depth and lag, the servers, and the frozen banner; all from GET api/overview.
 */
document.addEventListener('alpine:init', () => {
    const FINISHED = [
        { state: 'SUCCEEDED', label: 'succeeded', stroke: '#2e7d32', fill: 'rgba(46, 125, 50, 0.12)' },
        { state: 'DEAD', label: 'dead', stroke: '#c62828', fill: 'rgba(198, 40, 40, 0.12)' },
        { state: 'CANCELLED', label: 'cancelled', stroke: '#757575', fill: 'rgba(117, 117, 117, 0.10)' },
        // A message that was not a job (bad JSON, an unknown type): it ends at once, never run.
        { state: 'REJECTED', label: 'rejected', stroke: '#7b5ea7', fill: 'rgba(123, 94, 167, 0.08)' },
    ];

    Alpine.data('overviewPage', () => {
        // The chart lives outside Alpine's reactive data: uPlot must not be wrapped in a proxy.
        let chart = null;
        const resize = () => chart && chart.setSize({ width: chart.root.parentElement.clientWidth, height: 220 });

        return Dashboard.page({
            overview: null,
            states: ['QUEUED', 'SCHEDULED', 'RUNNING', 'FAILED', 'DEAD'],
            finished: FINISHED,

            async load() {
                this.overview = await Dashboard.api.get('overview');
                this.draw(this.overview.perMinute || []);
            },

            count(state) {
                return this.overview ? (this.overview.counts[state] ?? 0) : '';
            },

            /** How many jobs ended in this state in the last hour. */
            finishedInLastHour(state) {
                return this.overview ? (this.overview.perMinute || []).reduce((sum, m) => sum + (m[state] || 0), 0) : '';
            },

            draw(perMinute) {
                const data = [perMinute.map((m) => Date.parse(m.minute) / 1000),
                    ...FINISHED.map((f) => perMinute.map((m) => m[f.state] || 0))];
                if (chart) {
                    chart.setData(data);
                    return;
                }
                const target = this.$refs.chart;
                chart = new uPlot({
                    width: target.clientWidth,
                    height: 220,
                    series: [{}, ...FINISHED.map((f) => ({ label: f.label, stroke: f.stroke, fill: f.fill, width: 2, points: { show: false } }))],
                    scales: { y: { range: (u, min, max) => [0, Math.max(1, max)] } },
                    axes: [{}, { label: 'jobs / minute', size: 50 }],
                }, data, target);
                window.addEventListener('resize', resize);
            },

            tearDown() {
                window.removeEventListener('resize', resize);
                if (chart) {
                    chart.destroy();
                    chart = null;
                }
            },
        });
    });
});
