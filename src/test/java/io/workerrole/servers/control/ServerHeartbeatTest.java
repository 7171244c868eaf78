package io.workerrole.servers.control;

import io.workerrole.api.TaskContext;
import io.workerrole.jobs.boundary.JobService;
import io.workerrole.platform.StoreException;
import io.workerrole.platform.WarVersion;
import io.workerrole.platform.WorkerSettings;
import io.workerrole.role.boundary.RoleLifecycle;
import io.workerrole.role.entity.RolePhase;
import io.workerrole.servers.entity.ServerProfile;
import io.workerrole.servers.entity.ServerStatus;
import io.workerrole.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heartbeat's rhythm and what each beat says, with a clock the test moves and a task context
 * that stops the task after a given number of waits.
 */
class ServerHeartbeatTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final ServerProfile PROFILE = new ServerProfile("images", "1.2.3+20261201.101010", List.of("echo", "thumbnail"));

    private final MutableClock clock = new MutableClock();
    private final List<ServerStatus> beats = new ArrayList<>();
    private final List<Instant> prunedBefore = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private volatile RolePhase phase = RolePhase.RUNNING;
    private int failingBeats;
    private int failingTypeWrites;
    /** How many of the next beats find no row and create it. */
    private int rowsCreated = 1;
    private final List<List<String>> typeWrites = new ArrayList<>();
    private volatile List<String> types = List.of("echo", "thumbnail");
    private final ServerHeartbeat heartbeat = new ServerHeartbeat();

    @BeforeEach
    void wire() {
        heartbeat.clock = clock;
        heartbeat.store = new ServerStore() {
            @Override
            public boolean beat(ServerStatus status) {
                if (failingBeats > 0) {
                    failingBeats--;
                    throw new StoreException("down", new SQLException("connection refused"));
                }
                beats.add(status);
                return rowsCreated-- > 0;
            }

            @Override
            public boolean replaceTypes(String serverId, Collection<String> types) {
                if (failingTypeWrites > 0) {
                    failingTypeWrites--;
                    throw new StoreException("down", new SQLException("connection refused"));
                }
                typeWrites.add(List.copyOf(types));
                return true;
            }

            @Override
            public int prune(Instant seenBefore) {
                prunedBefore.add(seenBefore);
                return 0;
            }
        };
        heartbeat.settings = new WorkerSettings() {
            @Override
            public String serverId() {
                return "a@h";
            }

            @Override
            public Duration lease() {
                return ServerHeartbeatTest.LEASE; // not WorkerSettings.LEASE, the setting's name
            }

            @Override
            public String role() {
                return "images";
            }
        };
        heartbeat.version = new WarVersion() {
            @Override
            public String version() {
                return "1.2.3+20261201.101010";
            }
        };
        heartbeat.jobs = new JobService() {
            @Override
            public int running() {
                return 3;
            }

            @Override
            public int slots() {
                return 12;
            }

            @Override
            public SortedSet<String> serverTypes() {
                return new TreeSet<>(types);
            }
        };
        heartbeat.role = new RoleLifecycle() {
            @Override
            public RolePhase phase() {
                return phase;
            }

            @Override
            public boolean frozen() {
                return true;
            }
        };
    }

    /** A context whose waits pass the time they wait, and whose last one is ended by a stop (the role then stops). */
    private TaskContext stoppingAfter(int waitsBeforeStop) {
        return new TaskContext() {
            @Override
            public String taskName() {
                return "server-heartbeat";
            }

            @Override
            public boolean stopRequested() {
                return waits.size() > waitsBeforeStop;
            }

            @Override
            public boolean awaitStop(Duration timeout) {
                waits.add(timeout);
                if (stopRequested()) {
                    phase = RolePhase.STOPPING;
                    return true;
                }
                clock.advance(timeout);
                return false;
            }

            @Override
            public int restarts() {
                return 0;
            }
        };
    }

    @Test
    void itBeatsAtOnceThenEveryThirdOfTheLeaseAndOnceMoreAsStoppingWhenStopped() throws Exception {
        Instant started = clock.instant();
        heartbeat.run(stoppingAfter(2));

        assertEquals(List.of(LEASE.dividedBy(3), LEASE.dividedBy(3), LEASE.dividedBy(3)), waits);
        assertEquals(List.of(
                new ServerStatus("a@h", WorkerSettings.hostName(), started, started, "RUNNING", true, 3, 12, PROFILE),
                new ServerStatus("a@h", WorkerSettings.hostName(), started, started.plusSeconds(10), "RUNNING", true, 3, 12, PROFILE),
                new ServerStatus("a@h", WorkerSettings.hostName(), started, started.plusSeconds(20), "RUNNING", true, 3, 12, PROFILE),
                new ServerStatus("a@h", WorkerSettings.hostName(), started, started.plusSeconds(20), "STOPPING", true, 3, 12, PROFILE)), beats);
        assertEquals(started.plusSeconds(20).minus(Duration.ofDays(1)), prunedBefore.get(prunedBefore.size() - 1),
                "servers gone for a day are forgotten");
    }

    @Test
    void failedBeatsNeitherEndTheTaskNorChangeItsRhythm() throws Exception {
        Instant started = clock.instant();
        failingBeats = 2;
        heartbeat.run(stoppingAfter(3));

        assertEquals(4, waits.size());
        assertTrue(waits.stream().allMatch(LEASE.dividedBy(3)::equals), waits.toString());
        assertEquals(List.of(started.plusSeconds(20), started.plusSeconds(30), started.plusSeconds(30)),
                beats.stream().map(ServerStatus::lastSeen).toList(), "the beats after the outage land");
    }

    @Test
    void whileTheRoleStillStartsItBeatsAgainWithinASecond() throws Exception {
        phase = RolePhase.STARTING;
        heartbeat.run(stoppingAfter(1));

        assertEquals(List.of(ServerHeartbeat.STARTING_PAUSE, ServerHeartbeat.STARTING_PAUSE), waits);
    }

    @Test
    void aRestartedTaskKeepsTheTimeTheServerFirstBeat() throws Exception {
        Instant started = clock.instant();
        heartbeat.run(stoppingAfter(0));
        clock.advance(Duration.ofMinutes(5));
        waits.clear();
        phase = RolePhase.RUNNING;
        heartbeat.run(stoppingAfter(0));

        assertTrue(beats.stream().allMatch(beat -> beat.startedAt().equals(started)), beats.toString());
    }

    @Test
    void itWritesItsTypesAfterItsFirstBeatAndThenOnlyWhenTheyChange() throws Exception {
        heartbeat.run(new TaskContext() {
            private int beat;

            @Override
            public String taskName() {
                return "server-heartbeat";
            }

            @Override
            public boolean stopRequested() {
                return false;
            }

            @Override
            public boolean awaitStop(Duration timeout) {
                beat++;
                if (beat == 2) {
                    types = List.of("echo", "script:report", "thumbnail"); // a script added
                }
                return beat == 4;
            }

            @Override
            public int restarts() {
                return 0;
            }
        });

        assertEquals(5, beats.size());
        assertEquals(List.of(List.of("echo", "thumbnail"), List.of("echo", "script:report", "thumbnail")), typeWrites);
    }

    @Test
    void typesThatCouldNotBeWrittenAndARowThatWasCreatedAgainAreWrittenAtTheNextBeat() throws Exception {
        failingTypeWrites = 1;
        heartbeat.run(stoppingAfter(2));
        assertEquals(List.of(List.of("echo", "thumbnail")), typeWrites, "written at the second beat, after the first failed");

        rowsCreated = 1; // pruned meanwhile (a server silent for a day): its types went with its row
        heartbeat.run(stoppingAfter(0));
        assertEquals(2, typeWrites.size(), typeWrites.toString());
    }
}
