/* Servers (#/servers): every server of the job store with its last heartbeat; gone ones marked. */
document.addEventListener('alpine:init', () => {
    Alpine.data('serversPage', () => Dashboard.page({
        servers: [],
        lease: '',
        after: null,
        next: null,

        setUp(route) {
            this.after = route.params.after || null;
        },

        async load() {
            const page = await Dashboard.api.get('servers', { limit: 100, after: this.after });
            this.servers = page.servers;
            this.lease = page.lease;
            this.next = Dashboard.api.cursor(page.next, 'after');
        },
    }));
});
