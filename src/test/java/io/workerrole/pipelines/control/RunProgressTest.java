package io.workerrole.pipelines.control;

import io.workerrole.api.JobState;
import io.workerrole.api.Pipeline;
import io.workerrole.api.PipelineRunState;
import io.workerrole.api.PipelineStep;
import io.workerrole.pipelines.control.RunProgress.Compensate;
import io.workerrole.pipelines.control.RunProgress.End;
import io.workerrole.pipelines.control.RunProgress.Move;
import io.workerrole.pipelines.control.RunProgress.StartStep;
import io.workerrole.pipelines.control.RunProgress.Stay;
import io.workerrole.pipelines.control.RunProgress.Succeed;
import io.workerrole.pipelines.control.RunProgress.Unwind;
import io.workerrole.pipelines.entity.PipelineRun;
import io.workerrole.pipelines.entity.StepJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunProgressTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Pipeline ORDER = Pipeline.named("order")
            .step(PipelineStep.of("reserve").compensatedBy("release"))
            .step(PipelineStep.of("charge").compensatedBy("refund"))
            .step(PipelineStep.of("notify"))
            .step(PipelineStep.of("ship").withDeadline(Duration.ofMinutes(1), 1))
            .build();

    private static PipelineRun run(PipelineRunState state, int step, int attempt, List<String> undoList, int undoNext, boolean cancelled) {
        return new PipelineRun("run-1", 1, ORDER, state, step, attempt, "{\"order\":1}", null, null, null, null, undoList, undoNext,
                NOW.plusSeconds(60), cancelled ? NOW : null, NOW, NOW, NOW, null);
    }

    private static StepJob job(String id, int step, int attempt, JobState state, String result) {
        return new StepJob(id, step, 0, attempt, null, state, 1, "{\"in\":" + step + "}", result, state == JobState.DEAD ? "boom" : null, NOW, NOW);
    }

    private static StepJob undo(String id, String undoes, int step, JobState state) {
        return new StepJob(id, step, 0, 0, undoes, state, 1, "{}", "{}", state == JobState.DEAD ? "refused" : null, NOW, NOW);
    }

    @Test
    void aSucceededStepStartsTheNextWithItsResult() {
        Move move = RunProgress.next(run(PipelineRunState.RUNNING, 0, 0, null, 0, false),
                List.of(job("a", 0, 0, JobState.SUCCEEDED, "{\"reserved\":true}")), NOW);

        StartStep start = assertInstanceOf(StartStep.class, move);
        assertEquals(1, start.step());
        assertEquals(List.of("{\"reserved\":true}"), start.payloads());
    }

    @Test
    void aStepStillRunningWaits() {
        assertInstanceOf(Stay.class, RunProgress.next(run(PipelineRunState.RUNNING, 1, 0, null, 0, false),
                List.of(job("a", 0, 0, JobState.SUCCEEDED, "1"), job("b", 1, 0, JobState.RUNNING, null)), NOW));
    }

    @Test
    void theLastStepSucceedingEndsTheRunWithItsResult() {
        List<StepJob> jobs = List.of(job("a", 0, 0, JobState.SUCCEEDED, "1"), job("b", 1, 0, JobState.SUCCEEDED, "2"),
                job("c", 2, 0, JobState.SUCCEEDED, "3"), job("d", 3, 0, JobState.SUCCEEDED, "\"shipped\""));

        assertEquals("\"shipped\"", assertInstanceOf(Succeed.class, RunProgress.next(run(PipelineRunState.RUNNING, 3, 0, null, 0, false), jobs, NOW)).result());
    }

    @Test
    void aDeadStepUnwindsNamingIt() {
        Unwind unwind = assertInstanceOf(Unwind.class, RunProgress.next(run(PipelineRunState.RUNNING, 1, 0, null, 0, false),
                List.of(job("a", 0, 0, JobState.SUCCEEDED, "1"), job("b", 1, 0, JobState.DEAD, null)), NOW));

        assertEquals("charge", unwind.failedStep());
        assertTrue(unwind.error().contains("boom"), unwind.error());
    }

    @Test
    void compensationsRunInReverseOrderSkippingStepsWithNothingToUndo() {
        List<StepJob> jobs = new ArrayList<>(List.of(job("a", 0, 0, JobState.SUCCEEDED, "1"), job("b", 1, 0, JobState.SUCCEEDED, "2"),
                job("c", 2, 0, JobState.SUCCEEDED, "3"), job("d", 3, 0, JobState.DEAD, null)));

        Compensate first = assertInstanceOf(Compensate.class, RunProgress.next(run(PipelineRunState.COMPENSATING, 3, 0, null, 0, false), jobs, NOW));
        assertEquals(List.of("b", "a"), first.undoList(), "notify has no compensation");
        assertEquals("refund", first.compensationType());
        assertTrue(first.payload().contains("\"step\":\"charge\"") && first.payload().contains("\"result\":2"), first.payload());

        jobs.add(undo("u1", "b", 1, JobState.RUNNING));
        assertInstanceOf(Stay.class, RunProgress.next(run(PipelineRunState.COMPENSATING, 3, 0, first.undoList(), 0, false), jobs, NOW));
        jobs.set(4, undo("u1", "b", 1, JobState.SUCCEEDED));
        Compensate second = assertInstanceOf(Compensate.class, RunProgress.next(run(PipelineRunState.COMPENSATING, 3, 0, first.undoList(), 0, false), jobs, NOW));
        assertEquals(1, second.index());
        assertEquals("release", second.compensationType());

        jobs.add(undo("u2", "a", 0, JobState.SUCCEEDED));
        End end = assertInstanceOf(End.class, RunProgress.next(run(PipelineRunState.COMPENSATING, 3, 0, first.undoList(), 1, false), jobs, NOW));
        assertEquals(PipelineRunState.COMPENSATED, end.state());
    }

    @Test
    void aDeadCompensationEndsTheRunNamingTheStepLeftDone() {
        List<StepJob> jobs = List.of(job("a", 0, 0, JobState.SUCCEEDED, "1"), job("b", 1, 0, JobState.DEAD, null), undo("u1", "a", 0, JobState.DEAD));

        End end = assertInstanceOf(End.class, RunProgress.next(run(PipelineRunState.COMPENSATING, 1, 0, List.of("a"), 0, false), jobs, NOW));
        assertEquals(PipelineRunState.COMPENSATION_FAILED, end.state());
        assertEquals("reserve", end.failedStep());
    }

    @Test
    void compensationWaitsUntilNoStepJobRuns() {
        List<StepJob> jobs = List.of(job("a", 0, 0, JobState.SUCCEEDED, "1"), job("b", 1, 0, JobState.RUNNING, null));

        Unwind unwind = assertInstanceOf(Unwind.class, RunProgress.next(run(PipelineRunState.RUNNING, 1, 0, null, 0, true), jobs, NOW));
        assertEquals(List.of("b"), unwind.cancel());
        assertInstanceOf(Stay.class, RunProgress.next(run(PipelineRunState.COMPENSATING, 1, 0, null, 0, true), jobs, NOW));
    }

    @Test
    void aCancelledRunWithNothingToUndoEndsCancelled() {
        End end = assertInstanceOf(End.class, RunProgress.next(run(PipelineRunState.COMPENSATING, 0, 0, null, 0, true),
                List.of(job("a", 0, 0, JobState.CANCELLED, null)), NOW));
        assertEquals(PipelineRunState.CANCELLED, end.state());
    }

    @Test
    void aStepPastItsDeadlineStartsAgainWhileRetriesLastThenUnwinds() {
        List<StepJob> jobs = List.of(job("a", 0, 0, JobState.SUCCEEDED, "1"), job("b", 1, 0, JobState.SUCCEEDED, "2"),
                job("c", 2, 0, JobState.SUCCEEDED, "3"), job("d", 3, 0, JobState.RUNNING, null));
        Instant late = NOW.plusSeconds(61);

        StartStep again = assertInstanceOf(StartStep.class, RunProgress.next(run(PipelineRunState.RUNNING, 3, 0, null, 0, false), jobs, late));
        assertEquals(1, again.attempt());
        assertEquals(List.of("d"), again.cancel());
        Unwind unwind = assertInstanceOf(Unwind.class, RunProgress.next(run(PipelineRunState.RUNNING, 3, 1, null, 0, false), jobs, late));
        assertEquals("ship", unwind.failedStep());
        assertTrue(unwind.error().contains("deadline"), unwind.error());
    }

    @Test
    void aFanOutSplitsAnArrayAndJoinsTheResultsInOrder() {
        PipelineStep spread = PipelineStep.of("work").fannedOut();
        assertEquals(List.of("1", "{\"a\":2}"), RunProgress.payloads(spread, "[1,{\"a\":2}]"));
        assertThrows(InvalidPipelineException.class, () -> RunProgress.payloads(spread, "{\"a\":1}"));

        Pipeline fan = Pipeline.named("fan").step(PipelineStep.of("split")).step(spread).build();
        PipelineRun run = new PipelineRun("r", 1, fan, PipelineRunState.RUNNING, 1, 0, "[]", null, null, null, null, null, 0,
                NOW.plusSeconds(60), null, NOW, NOW, NOW, null);
        List<StepJob> branches = List.of(job("s", 0, 0, JobState.SUCCEEDED, "[1,2]"),
                new StepJob("b1", 1, 1, 0, null, JobState.SUCCEEDED, 1, "2", "\"two\"", null, NOW, NOW),
                new StepJob("b0", 1, 0, 0, null, JobState.SUCCEEDED, 1, "1", "\"one\"", null, NOW, NOW));
        assertEquals("[\"one\",\"two\"]", assertInstanceOf(Succeed.class, RunProgress.next(run, branches, NOW)).result());
    }
}
