package io.workerrole.role.control;

import io.workerrole.api.BackgroundTask;
import io.workerrole.platform.Backoff;
import io.workerrole.platform.Leadership;
import io.workerrole.testing.MemoryLeases;
import io.workerrole.testing.MutableClock;
import io.workerrole.api.TaskContext;
import io.workerrole.role.entity.TaskState;
import io.workerrole.role.entity.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The supervision state machine, ticked by hand against a clock the test moves. Tasks run on
 * real threads, so the tests tick until the state they wait for is reached.
 */
class TaskSupervisorTest {

    private static final SupervisionPolicy POLICY = new SupervisionPolicy(Duration.ofSeconds(30),
            Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(8)), 3, Duration.ofSeconds(15));

    private final MutableClock clock = new MutableClock();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final TaskSupervisor supervisor = new TaskSupervisor(clock, (name, body) -> threads.submit(body));
    private final MemoryLeases leases = new MemoryLeases(clock);

    @AfterEach
    void shutdown() {
        threads.shutdownNow();
    }

    @Test
    void startsEveryTaskOnTheFirstTick() {
        supervisor.register("a", TaskSupervisorTest::untilStopped);
        supervisor.register("b", TaskSupervisorTest::untilStopped);

        supervisor.supervise(false, POLICY);

        assertEquals(TaskState.RUNNING, status("a").state());
        assertEquals(TaskState.RUNNING, status("b").state());
        assertEquals(1, status("a").starts());
    }

    @Test
    void restartsAFailedTaskOnlyAfterItsBackoff() {
        AtomicInteger runs = new AtomicInteger();
        supervisor.register("flaky", context -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("first run fails");
            }
            untilStopped(context);
        });
        supervisor.supervise(false, POLICY);
        tickUntil("flaky", TaskState.RESTARTING);
        assertEquals("java.lang.IllegalStateException: first run fails", status("flaky").lastError());

        clock.advance(Duration.ofMillis(999));
        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.RESTARTING, status("flaky").state(), "not before the 1 s backoff has passed");

        clock.advance(Duration.ofMillis(1));
        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.RUNNING, status("flaky").state());
        assertEquals(1, status("flaky").restarts());
        assertEquals(2, status("flaky").starts());
    }

    @Test
    void backoffDoublesWithEachFailureInARow() {
        supervisor.register("broken", context -> {
            throw new IllegalStateException("always");
        });
        supervisor.supervise(false, POLICY);
        tickUntil("broken", TaskState.RESTARTING);
        clock.advance(Duration.ofSeconds(1));
        supervisor.supervise(false, POLICY);
        tickUntil("broken", TaskState.RESTARTING);

        clock.advance(Duration.ofMillis(1_999));
        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.RESTARTING, status("broken").state(), "second backoff is 2 s");
        clock.advance(Duration.ofMillis(1));
        supervisor.supervise(false, POLICY);
        assertEquals(3, status("broken").starts());
    }

    @Test
    void givesUpAfterTheMaximumFailuresInARow() {
        supervisor.register("broken", context -> {
            throw new IllegalStateException("always");
        });
        for (int failure = 1; failure < 3; failure++) {
            supervisor.supervise(false, POLICY);
            tickUntil("broken", TaskState.RESTARTING);
            clock.advance(Duration.ofSeconds(8));
        }
        supervisor.supervise(false, POLICY);
        tickUntil("broken", TaskState.FAILED);

        clock.advance(Duration.ofHours(1));
        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.FAILED, status("broken").state(), "a given-up task stays down");
        assertEquals(3, status("broken").starts());
    }

    @Test
    void aLongHealthyRunStartsANewStreakOfFailures() {
        CountDownLatch failNow = new CountDownLatch(1);
        CountDownLatch healthy = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        supervisor.register("sometimes", context -> {
            if (runs.incrementAndGet() <= 2) {
                throw new IllegalStateException("early failure");
            }
            healthy.countDown();
            failNow.await();
            throw new IllegalStateException("late failure");
        });
        supervisor.supervise(false, POLICY);
        tickUntil("sometimes", TaskState.RESTARTING);
        clock.advance(Duration.ofSeconds(1));
        supervisor.supervise(false, POLICY);
        tickUntil("sometimes", TaskState.RESTARTING);
        clock.advance(Duration.ofSeconds(2));
        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.RUNNING, status("sometimes").state());
        await().atMost(Duration.ofSeconds(5)).until(() -> healthy.getCount() == 0);

        clock.advance(Duration.ofMinutes(5)); // healthy for longer than the longest backoff
        failNow.countDown();
        tickUntil("sometimes", TaskState.RESTARTING);
        clock.advance(Duration.ofSeconds(1));
        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.RUNNING, status("sometimes").state(),
                "the third failure counts as the first of a new streak: 1 s backoff, not given up");
    }

    @Test
    void aTaskThatReturnsByItselfCompletesAndIsNotRestarted() {
        supervisor.register("once", context -> { });
        supervisor.supervise(false, POLICY);
        tickUntil("once", TaskState.COMPLETED);

        clock.advance(Duration.ofMinutes(1));
        supervisor.supervise(false, POLICY);
        assertEquals(1, status("once").starts());
    }

    @Test
    void freezeStopsTasksHoldsThemAndUnfreezeStartsThemAgain() {
        supervisor.register("worker", TaskSupervisorTest::untilStopped);
        supervisor.supervise(false, POLICY);

        supervisor.supervise(true, POLICY);
        assertEquals(TaskState.STOPPING, status("worker").state());
        tickUntil("worker", TaskState.HELD, true);

        clock.advance(Duration.ofMinutes(1));
        supervisor.supervise(true, POLICY);
        assertEquals(TaskState.HELD, status("worker").state());
        assertEquals(1, status("worker").starts(), "nothing starts while frozen");

        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.RUNNING, status("worker").state());
        assertEquals(2, status("worker").starts());
        assertEquals(0, status("worker").restarts(), "a hold is not a failure");
    }

    @Test
    void unfreezingBeforeATaskHasStoppedWithdrawsTheRequestAndNeverInterruptsIt() {
        Controlled task = new Controlled();
        supervisor.register("draining", task);
        supervisor.supervise(false, POLICY);
        TaskContext context = task.awaitRun(1);
        AtomicInteger changes = new AtomicInteger();
        context.onStopChange(changes::incrementAndGet);

        supervisor.supervise(true, POLICY);
        assertEquals(TaskState.STOPPING, status("draining").state());
        assertTrue(context.stopRequested());

        clock.advance(Duration.ofSeconds(29));
        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.RUNNING, status("draining").state());
        assertFalse(context.stopRequested(), "the request is withdrawn");
        assertEquals(2, changes.get(), "told of the request and of its withdrawal");

        clock.advance(Duration.ofMinutes(5)); // long past the stopping wait time of the withdrawn request
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> {
            supervisor.supervise(false, POLICY);
            return status("draining").state() == TaskState.RUNNING;
        });
        assertEquals(0, task.interrupts.get());
        assertEquals(1, status("draining").starts(), "it carried on: no new start");
        assertEquals(0, status("draining").restarts());
    }

    @Test
    void aStopRequestMadeAgainGetsTheWholeStoppingWaitTimeAnew() {
        Controlled task = new Controlled();
        supervisor.register("draining", task);
        supervisor.supervise(false, POLICY);
        task.awaitRun(1);
        supervisor.supervise(true, POLICY);
        clock.advance(Duration.ofSeconds(20));
        supervisor.supervise(false, POLICY);

        supervisor.supervise(true, POLICY);
        clock.advance(Duration.ofSeconds(29));
        supervisor.supervise(true, POLICY);
        assertEquals(0, task.interrupts.get(), "49 s since the first request, 29 s since this one");

        clock.advance(Duration.ofSeconds(1));
        supervisor.supervise(true, POLICY);
        await().atMost(Duration.ofSeconds(5)).until(() -> task.interrupts.get() == 1);
        tickUntil("draining", TaskState.HELD, true);
    }

    @Test
    void aTaskInterruptedWhileFrozenIsNotResumedByUnfreezingButStartedAgain() {
        Controlled task = new Controlled();
        supervisor.register("draining", task);
        supervisor.supervise(false, POLICY);
        TaskContext first = task.awaitRun(1);
        supervisor.supervise(true, POLICY);
        clock.advance(Duration.ofSeconds(30));
        supervisor.supervise(true, POLICY);
        await().atMost(Duration.ofSeconds(5)).until(() -> task.interrupts.get() == 1);

        tickUntil("draining", TaskState.RUNNING);
        assertTrue(first.stopRequested(), "an interrupted task is on its way out: its request stands");
        assertEquals(2, status("draining").starts());
        assertEquals(0, status("draining").restarts(), "a stop is not a failure");
    }

    @Test
    void theWorkersOwnStopIsNeverWithdrawnByAnUnfreeze() {
        // The supervisor no longer ticks once the worker stops; the task's state machine holds anyway.
        Controlled body = new Controlled();
        SupervisedTask task = new SupervisedTask("draining", body, clock);
        TaskLauncher launcher = (name, run) -> threads.submit(run);
        task.supervise(clock.instant(), false, POLICY, launcher);
        TaskContext context = body.awaitRun(1);

        task.supervise(clock.instant(), true, POLICY, launcher);
        task.requestStop(clock.instant(), "the worker is stopping");
        task.supervise(clock.instant(), false, POLICY, launcher);

        assertTrue(context.stopRequested(), "a freeze's request, once the worker stops, stands");
        assertEquals(TaskState.STOPPING, task.status().state());
    }

    @Test
    void aFreezeLiftedAfterTheWorkersStopDoesNotWithdrawIt() {
        Controlled body = new Controlled();
        SupervisedTask task = new SupervisedTask("draining", body, clock);
        TaskLauncher launcher = (name, run) -> threads.submit(run);
        task.supervise(clock.instant(), false, POLICY, launcher);
        TaskContext context = body.awaitRun(1);

        task.requestStop(clock.instant(), "the worker is stopping");
        task.supervise(clock.instant(), true, POLICY, launcher);
        task.supervise(clock.instant(), false, POLICY, launcher);

        assertTrue(context.stopRequested());
        assertEquals(TaskState.STOPPING, task.status().state());
    }

    @Test
    void aTaskThatReturnsAfterAWithdrawnRequestIsStartedAgainNotCompleted() {
        Controlled task = new Controlled();
        supervisor.register("draining", task);
        supervisor.supervise(false, POLICY);
        task.awaitRun(1);
        supervisor.supervise(true, POLICY);
        supervisor.supervise(false, POLICY);

        task.returns.release();
        tickUntil("draining", TaskState.RUNNING, false, () -> status("draining").starts() == 2);
        task.awaitRun(2);
        assertEquals(0, status("draining").restarts(), "a stop is not a failure");
    }

    @Test
    void aTaskThatReturnsAfterAWithdrawnThenRenewedRequestIsHeldAndStartedOnUnfreeze() {
        Controlled task = new Controlled();
        supervisor.register("draining", task);
        supervisor.supervise(false, POLICY);
        TaskContext first = task.awaitRun(1);
        supervisor.supervise(true, POLICY);
        supervisor.supervise(false, POLICY);
        supervisor.supervise(true, POLICY);
        assertTrue(first.stopRequested());
        assertEquals(TaskState.STOPPING, status("draining").state());

        task.returns.release();
        tickUntil("draining", TaskState.HELD, true);
        supervisor.supervise(false, POLICY);

        assertEquals(TaskState.RUNNING, status("draining").state());
        assertEquals(2, status("draining").starts());
        assertEquals(0, status("draining").restarts());
        assertFalse(task.awaitRun(2).stopRequested(), "a new run starts with no request");
    }

    @Test
    void tasksThatOptOutOfFreezeKeepRunning() {
        supervisor.register("plumbing", new BackgroundTask() {
            @Override
            public void run(TaskContext context) throws InterruptedException {
                untilStopped(context);
            }

            @Override
            public boolean holdWhileFrozen() {
                return false;
            }
        });
        supervisor.supervise(false, POLICY);
        supervisor.supervise(true, POLICY);
        assertEquals(TaskState.RUNNING, status("plumbing").state());
    }

    @Test
    void aFrozenTaskThatIgnoresTheStopIsInterruptedAfterTheStoppingWaitTime() {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        supervisor.register("stubborn", context -> {
            running.countDown();
            ignoreStop(interrupted);
        });
        supervisor.supervise(false, POLICY);
        await().atMost(Duration.ofSeconds(5)).until(() -> running.getCount() == 0);
        supervisor.supervise(true, POLICY);

        clock.advance(Duration.ofSeconds(29));
        supervisor.supervise(true, POLICY);
        assertEquals(1, interrupted.getCount(), "not interrupted within the 30 s wait");

        clock.advance(Duration.ofSeconds(1));
        supervisor.supervise(true, POLICY);
        await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.getCount() == 0);
        tickUntil("stubborn", TaskState.HELD, true);
    }

    @Test
    void aTaskInterruptedBeforeItsThreadStartedStillEnds() {
        List<Runnable> notYetRun = new ArrayList<>();
        TaskSupervisor lazy = new TaskSupervisor(clock, (name, body) -> {
            notYetRun.add(body);
            return new CompletableFuture<>();
        });
        lazy.register("late", TaskSupervisorTest::untilStopped);
        lazy.supervise(false, POLICY);

        StopReport report = lazy.stop(Duration.ofMillis(50), Duration.ofSeconds(1));

        assertEquals(new StopReport(1, 1, 0), report, "cancelled before it ran, so nothing is left running");
        notYetRun.forEach(Runnable::run); // the executor gets round to it after all: it must not run
        assertEquals(TaskState.STOPPED, lazy.statuses().get(0).state());
    }

    @Test
    void stopDrainsCooperativeTasks() {
        supervisor.register("a", TaskSupervisorTest::untilStopped);
        supervisor.supervise(false, POLICY);

        StopReport report = supervisor.stop(Duration.ofSeconds(5), Duration.ofSeconds(1));

        assertEquals(new StopReport(1, 0, 0), report);
        assertEquals(TaskState.STOPPED, status("a").state());
    }

    @Test
    void stopInterruptsTasksThatOutrunTheWaitAndStartsNothingAfterwards() {
        CountDownLatch interrupted = new CountDownLatch(1);
        supervisor.register("stubborn", context -> ignoreStop(interrupted));
        supervisor.supervise(false, POLICY);

        StopReport report = supervisor.stop(Duration.ofMillis(200), Duration.ofSeconds(5));

        assertEquals(new StopReport(1, 1, 0), report);
        assertEquals(0, interrupted.getCount());
        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.STOPPED, status("stubborn").state());
        assertEquals(1, status("stubborn").starts());
    }

    @Test
    void reportsTasksThatDoNotStopEvenWhenInterrupted() {
        CountDownLatch release = new CountDownLatch(1);
        supervisor.register("deaf", context -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // deaf to interruption
                }
            }
        });
        supervisor.supervise(false, POLICY);

        StopReport report = supervisor.stop(Duration.ofMillis(100), Duration.ofMillis(100));
        release.countDown();

        assertEquals(new StopReport(1, 1, 1), report);
    }

    @Test
    void aSingletonTaskRunsOnlyOnTheServerThatHoldsItsLeaseAndStandsByOnTheOthers() {
        TaskSupervisor other = otherServer();
        AtomicInteger runs = new AtomicInteger();
        supervisor.registerSingleton("report", counting(runs), leadership("a@h"));
        other.registerSingleton("report", counting(runs), leadership("b@h"));

        tickUntil(supervisor, "report", TaskState.RUNNING, false);
        tickUntil(other, "report", TaskState.STANDBY, false);
        // The clock runs at twice real time: the standby server tries again (every 5 s) and is
        // refused while the holder, whose leases are kept four times a real second, renews.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            clock.advance(Duration.ofMillis(100));
            supervisor.supervise(false, POLICY);
            other.supervise(false, POLICY);
            return status(other, "report").state() == TaskState.STANDBY;
        });
        assertEquals(1, runs.get(), "one run, on the holder");
        assertEquals("a@h", leases.holder("task:report"));
    }

    @Test
    void aHolderThatCannotRenewAsksItsTaskToStopAndInterruptsItBeforeTheLeaseCanLapse() {
        Controlled task = new Controlled();
        supervisor.registerSingleton("report", task, leadership("a@h"));
        tickUntil(supervisor, "report", TaskState.RUNNING, false);
        task.awaitRun(1);
        Instant renewed = clock.instant();

        leases.failing(true);
        clock.advance(Duration.ofMillis(7_500));
        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.STOPPING, status("report").state(), "asked to stop half a lease after its last renewal");
        assertTrue(task.runs.get(0).stopRequested());

        clock.advance(Duration.ofMillis(3_749));
        supervisor.supervise(false, POLICY);
        assertEquals(0, task.interrupts.get(), "a quarter lease to stop in");
        clock.advance(Duration.ofMillis(1));
        tickUntil(supervisor, "report", TaskState.STANDBY, false);
        assertEquals(1, task.interrupts.get(), "interrupted, before the stopping wait time of 30 s");
        assertEquals(Duration.ofMillis(11_250), Duration.between(renewed, clock.instant()));
        assertEquals("a@h", leases.holder("task:report"), "stopped while its lease still holds: nobody else could start it yet");
    }

    @Test
    void aLeaseRenewedBeforeTheTaskStoppedWithdrawsTheRequest() {
        Controlled task = new Controlled();
        supervisor.registerSingleton("report", task, leadership("a@h"));
        tickUntil(supervisor, "report", TaskState.RUNNING, false);
        task.awaitRun(1);

        leases.failing(true);
        clock.advance(Duration.ofMillis(7_500));
        supervisor.supervise(false, POLICY);
        assertEquals(TaskState.STOPPING, status("report").state());
        leases.failing(false);
        clock.advance(Duration.ofSeconds(1)); // when a failed renewal is tried again
        tickUntil(supervisor, "report", TaskState.RUNNING, false);

        assertFalse(task.runs.get(0).stopRequested(), "the renewal withdrew the request");
        assertEquals(1, task.runs.size());
    }

    @Test
    void aFrozenHolderGivesItsLeaseUpOnceItsTaskHasStoppedAndAnUnfrozenServerTakesItOver() {
        TaskSupervisor other = otherServer();
        AtomicInteger runs = new AtomicInteger();
        supervisor.registerSingleton("report", counting(runs), leadership("a@h"));
        other.registerSingleton("report", counting(runs), leadership("b@h"));
        tickUntil(supervisor, "report", TaskState.RUNNING, false);
        tickUntil(other, "report", TaskState.STANDBY, false);

        tickUntil(supervisor, "report", TaskState.HELD, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> leases.holder("task:report") == null);
        clock.advance(Duration.ofSeconds(5));
        tickUntil(other, "report", TaskState.RUNNING, false);
        assertEquals("b@h", leases.holder("task:report"), "taken at its next attempt, without waiting for a lapse");

        clock.advance(Duration.ofSeconds(1));
        tickUntil(supervisor, "report", TaskState.STANDBY, false);
        assertEquals(2, runs.get(), "one run on each server, one after the other");
        assertEquals("b@h", leases.holder("task:report"));
    }

    @Test
    void stopGivesTheLeaseUpOnlyOnceTheTaskHasReturned() {
        List<String> holderAtReturn = new CopyOnWriteArrayList<>();
        supervisor.registerSingleton("report", context -> {
            untilStopped(context);
            holderAtReturn.add(leases.holder("task:report"));
        }, leadership("a@h"));
        tickUntil(supervisor, "report", TaskState.RUNNING, false);

        supervisor.stop(Duration.ofSeconds(5), Duration.ofSeconds(1));

        assertEquals(List.of("a@h"), holderAtReturn, "held while the task drained");
        assertNull(leases.holder("task:report"), "given up, so that another server starts it at once");
    }

    @Test
    void aSingletonDrainingAtStopIsInterruptedOnceItsLeaseCannotBeRenewedNotAfterTheWholeWait() throws Exception {
        Controlled task = new Controlled();
        supervisor.registerSingleton("report", task, leadership("a@h"));
        tickUntil(supervisor, "report", TaskState.RUNNING, false);
        task.awaitRun(1);

        CompletableFuture<StopReport> stop = CompletableFuture.supplyAsync(
                () -> supervisor.stop(Duration.ofSeconds(20), Duration.ofSeconds(1)), threads);
        await().atMost(Duration.ofSeconds(5)).until(() -> task.runs.get(0).stopRequested());
        leases.failing(true);
        clock.advance(Duration.ofMillis(7_500));

        StopReport report = stop.get(10, TimeUnit.SECONDS);
        assertEquals(new StopReport(1, 1, 0), report, "interrupted once its lease no longer held, within seconds of a 20 s wait");
        assertEquals(1, task.interrupts.get());
    }

    @Test
    void aRetiredTaskIsAskedToStopForGoodLeavesTheSupervisionAndItsNameIsFreeAgain() {
        AtomicInteger runs = new AtomicInteger();
        supervisor.register("script:tail", counting(runs));
        tickUntil("script:tail", TaskState.RUNNING);

        assertTrue(supervisor.retire("script:tail"));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            supervisor.supervise(false, POLICY);
            return !supervisor.registered("script:tail");
        });
        assertEquals(1, runs.get(), "stopped, not restarted");

        supervisor.register("script:tail", counting(runs));
        tickUntil("script:tail", TaskState.RUNNING);
        assertEquals(2, runs.get(), "the new version runs");
        assertFalse(supervisor.retire("script:other"), "no such task");
    }

    @Test
    void aRetiredTaskThatIgnoresTheStopIsInterruptedAfterTheStoppingWaitTime() {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        supervisor.register("stubborn", context -> {
            running.countDown();
            ignoreStop(interrupted);
        });
        supervisor.supervise(false, POLICY);
        await().atMost(Duration.ofSeconds(5)).until(() -> running.getCount() == 0);
        supervisor.retire("stubborn");
        supervisor.supervise(false, POLICY);

        clock.advance(Duration.ofSeconds(29));
        supervisor.supervise(false, POLICY);
        assertEquals(1, interrupted.getCount(), "not interrupted within the 30 s wait");
        assertTrue(supervisor.registered("stubborn"), "still there while it runs");

        clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            supervisor.supervise(false, POLICY);
            return !supervisor.registered("stubborn");
        });
        assertEquals(0, interrupted.getCount());
    }

    @Test
    void aRetiredSingletonGivesItsLeaseUpOnceStoppedAndAnotherServerTakesItOver() {
        TaskSupervisor other = otherServer();
        AtomicInteger runs = new AtomicInteger();
        supervisor.registerSingleton("report", counting(runs), leadership("a@h"));
        other.registerSingleton("report", counting(runs), leadership("b@h"));
        tickUntil(supervisor, "report", TaskState.RUNNING, false);
        tickUntil(other, "report", TaskState.STANDBY, false);

        supervisor.retire("report");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            supervisor.supervise(false, POLICY);
            return !supervisor.registered("report");
        });
        assertNull(leases.holder("task:report"), "given up once the task returned");
        clock.advance(Duration.ofSeconds(5));
        tickUntil(other, "report", TaskState.RUNNING, false);
        assertEquals("b@h", leases.holder("task:report"));
        // RUNNING is shown once the task is handed to its thread; the thread counts its run a moment later.
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
    }

    @Test
    void rejectsTwoTasksWithOneName() {
        supervisor.register("same", TaskSupervisorTest::untilStopped);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> supervisor.register("same", TaskSupervisorTest::untilStopped));
        assertTrue(e.getMessage().contains("@Named"));
    }

    private void tickUntil(String task, TaskState state) {
        tickUntil(task, state, false);
    }

    private void tickUntil(String task, TaskState state, boolean frozen) {
        tickUntil(task, state, frozen, () -> true);
    }

    private void tickUntil(String task, TaskState state, boolean frozen, BooleanSupplier also) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            supervisor.supervise(frozen, POLICY);
            return status(task).state() == state && also.getAsBoolean();
        });
    }

    private TaskSupervisor otherServer() {
        return new TaskSupervisor(clock, (name, body) -> threads.submit(body));
    }

    private Leadership leadership(String server) {
        return new Leadership(leases, "task:report", server, clock);
    }

    private static BackgroundTask counting(AtomicInteger runs) {
        return context -> {
            runs.incrementAndGet();
            untilStopped(context);
        };
    }

    private void tickUntil(TaskSupervisor server, String task, TaskState state, boolean frozen) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            server.supervise(frozen, POLICY);
            return status(server, task).state() == state;
        });
    }

    private static TaskStatus status(TaskSupervisor server, String name) {
        return server.statuses().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private TaskStatus status(String name) {
        return supervisor.statuses().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * A task that, like the job dispatcher draining its jobs, does not return when asked to stop
     * but when the test lets one of its runs go; it shows the test each run's context.
     */
    private static final class Controlled implements BackgroundTask {
        final List<TaskContext> runs = new CopyOnWriteArrayList<>();
        final Semaphore returns = new Semaphore(0);
        final AtomicInteger interrupts = new AtomicInteger();

        @Override
        public void run(TaskContext context) throws InterruptedException {
            runs.add(context);
            try {
                returns.acquire();
            } catch (InterruptedException e) {
                interrupts.incrementAndGet();
                throw e;
            }
        }

        /** @return the context of the given run (1 for the first), waiting for it to start */
        TaskContext awaitRun(int run) {
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() >= run);
            return runs.get(run - 1);
        }
    }

    private static void untilStopped(TaskContext context) throws InterruptedException {
        while (!context.awaitStop(Duration.ofMillis(20))) {
            // working
        }
    }

    private static void ignoreStop(CountDownLatch interrupted) {
        try {
            new CountDownLatch(1).await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            interrupted.countDown();
        }
    }
}
