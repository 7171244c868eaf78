package io.workerrole.servers.boundary;

import io.workerrole.api.JobState;
import io.workerrole.jobs.boundary.JobFigures;
import io.workerrole.jobs.entity.Backlog;
import io.workerrole.jobs.entity.BacklogByType;
import io.workerrole.jobs.entity.QueueFigures;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.servers.control.ServerStore;
import io.workerrole.testing.MutableClock;
import io.workerrole.testing.RecordingMetricRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-role gauges against a registry that records what is registered: a role's figures are
 * its types' together, roles come from the heartbeats as they are read, and the last read stands
 * while the store is down.
 */
class RoleGaugesTest {

    private final MutableClock clock = new MutableClock();
    private final RecordingMetricRegistry gauges = new RecordingMetricRegistry();
    private final RoleGauges roleGauges = new RoleGauges();
    private BacklogByType backlog;
    private Map<String, Set<String>> roles = Map.of();
    private boolean storeDown;

    @BeforeEach
    void wire() {
        roleGauges.registry = gauges.registry();
        roleGauges.clock = clock;
        roleGauges.settings = new WorkerSettings() {
            @Override
            public String role() {
                return "light";
            }
        };
        roleGauges.store = new ServerStore() {
            @Override
            public Map<String, Set<String>> typesByRole() {
                if (storeDown) {
                    throw new StoreException("down", new SQLException("connection refused"));
                }
                return roles;
            }
        };
        // As RecentBacklog does: a fresh read is fired to the observers, here at every ask.
        roleGauges.figures = new JobFigures() {
            @Override
            public Optional<BacklogByType> recentBacklog() {
                if (backlog != null) {
                    roleGauges.backlogRead(backlog);
                }
                return Optional.ofNullable(backlog);
            }
        };
    }

    @Test
    void thisServersRoleHasItsGaugesFromTheStartReadingItsTypesOnceTheHeartbeatsAreRead() {
        roleGauges.register(null);
        assertEquals(Set.of("job.role.queued{role=light}", "job.role.delayed{role=light}", "job.role.running{role=light}",
                "job.role.oldest.age{role=light}"), gauges.names());

        roles = Map.of("light", Set.of("echo", "fetch"));
        backlog = backlog(Map.of("echo", new QueueFigures(3, 1, 2, clock.instant().minusSeconds(20)),
                "fetch", new QueueFigures(4, 0, 1, clock.instant().minusSeconds(45)),
                "thumbnail", new QueueFigures(50, 0, 0, clock.instant().minusSeconds(600))));

        assertEquals(Map.of("job.role.queued{role=light}", 7.0, "job.role.delayed{role=light}", 1.0,
                "job.role.running{role=light}", 3.0, "job.role.oldest.age{role=light}", 45.0), gauges.values(),
                "echo's and fetch's together, the older of their oldest; not thumbnail's");
    }

    @Test
    void aRoleSeenInTheHeartbeatsGetsItsGaugesAtTheNextRead() {
        roleGauges.register(null);
        roles = Map.of("light", Set.of("echo"), "images", Set.of("thumbnail"));
        backlog = backlog(Map.of("thumbnail", new QueueFigures(50, 0, 0, clock.instant().minusSeconds(600))));

        roleGauges.backlogRead(backlog);

        assertEquals(8, gauges.names().size(), "four gauges for each of two roles");
        assertEquals(50.0, gauges.value("job.role.queued{role=images}"));
        assertEquals(0.0, gauges.value("job.role.queued{role=light}"));
    }

    @Test
    void whileTheStoreCannotBeReadTheRolesLastTypesStandAndTheFiguresReadNaN() {
        roles = Map.of("images", Set.of("thumbnail"));
        backlog = backlog(Map.of("thumbnail", new QueueFigures(5, 0, 0, clock.instant())));
        roleGauges.backlogRead(backlog);

        storeDown = true;
        assertEquals(5.0, gauges.value("job.role.queued{role=images}"), "the roles as last read");
        backlog = null;
        assertTrue(Double.isNaN(gauges.value("job.role.queued{role=images}")), "no figures: NaN, not an empty queue");
    }

    @Test
    void eachRoleIsRegisteredOnceAndTheirNumberIsBounded() {
        roleGauges.register(null);
        roles = IntStream.range(0, RoleGauges.MAX_ROLES + 5).boxed()
                .collect(Collectors.toMap(i -> String.format("r%03d", i), i -> Set.of("echo")));
        backlog = backlog(Map.of());
        roleGauges.backlogRead(backlog);
        roleGauges.backlogRead(backlog);
        assertEquals(4 * RoleGauges.MAX_ROLES, gauges.names().size(), "the recorder throws on a second registration of one gauge");
    }

    @Test
    void thePrometheusNamesAreTheRegisteredOnesWithUnderscoresAndASecondsUnitAfterTheName() {
        assertEquals(List.of("job_role_queued", "job_role_delayed", "job_role_running", "job_role_oldest_age_seconds"),
                RoleGauges.prometheusNames());
    }

    private static BacklogByType backlog(Map<String, QueueFigures> types) {
        return new BacklogByType(new Backlog(Map.of(JobState.QUEUED, types.values().stream().mapToLong(QueueFigures::queued).sum()), null),
                List.of(), types);
    }
}
