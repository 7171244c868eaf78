/*
 * Dead letters (#/dead): the DEAD jobs grouped by type and error, most first; operators may
 * requeue a group, which requeues the DEAD jobs of that type with that exact error.
 */
document.addEventListener('alpine:init', () => {
    Alpine.data('deadPage', () => Dashboard.page({
        groups: [],

        async load() {
            this.groups = (await Dashboard.api.get('jobs/dead-groups', { limit: 100 })).groups;
        },

        jobsOf(group) {
            return Dashboard.link('jobs', { state: 'DEAD', type: group.type, error: group.error });
        },

        requeue(group) {
            return this.act(async () => {
                const answer = await Dashboard.api.post('jobs/requeue', { type: group.type, error: group.error });
                return `Requeued ${answer.requeued} dead job${answer.requeued === 1 ? '' : 's'} of type ${group.type}.`;
            });
        },
    }));
});
