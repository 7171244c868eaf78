package io.workerrole.jobs.builtin;

import io.workerrole.api.NonRetryableJobException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SleepJobTest {

    private final SleepJob sleep = new SleepJob();

    @Test
    void sleepsInStepsCheckpointingEach() throws Exception {
        FakeJobContext job = new FakeJobContext("{\"ms\": 40, \"steps\": 4}");

        assertEquals(new SleepJob.Result(40, 4, 0), sleep.handle(job));
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10)), job.waits);
        assertEquals(List.of("{\"step\":1}", "{\"step\":2}", "{\"step\":3}", "{\"step\":4}"), job.checkpoints);
        assertEquals(List.of(25, 50, 75, 100), job.progress);
    }

    @Test
    void theResultUsesTheExactJsonNames() throws Exception {
        String json = jakarta.json.bind.JsonbBuilder.create().toJson(sleep.handle(new FakeJobContext("{\"ms\": 5}")));
        assertEquals("{\"resumedFromStep\":0,\"sleptMs\":5,\"steps\":1}", json);
    }

    @Test
    void unevenStepsStillAddUpToTheWholeTime() throws Exception {
        FakeJobContext job = new FakeJobContext("{\"ms\": 10, \"steps\": 3}");

        sleep.handle(job);
        assertEquals(10, job.waits.stream().mapToLong(Duration::toMillis).sum());
        assertEquals(3, job.waits.size());
    }

    @Test
    void aResumedRunContinuesFromItsCheckpointAndSaysSo() throws Exception {
        FakeJobContext job = new FakeJobContext("{\"ms\": 40, \"steps\": 4}").withCheckpoint("{\"step\":2}");

        assertEquals(new SleepJob.Result(40, 4, 2), sleep.handle(job));
        assertEquals(2, job.waits.size(), "only the steps left");
        assertEquals(List.of("{\"step\":3}", "{\"step\":4}"), job.checkpoints);
        assertEquals(List.of(75, 100), job.progress);
    }

    @Test
    void cancelledHalfWayItStopsWithItsCheckpointSaved() {
        FakeJobContext job = new FakeJobContext("{\"ms\": 40, \"steps\": 4}").cancelAfterWaits(2);

        CancellationException e = assertThrows(CancellationException.class, () -> sleep.handle(job));
        assertTrue(e.getMessage().startsWith("sleep cancelled after step 2"), e.getMessage());
        assertEquals("{\"step\":2}", job.lastCheckpointJson());
        assertEquals(List.of(25, 50), job.progress);
    }

    @Test
    void rejectsPayloadsItCannotRun() {
        for (String payload : new String[] {"{}", "{\"ms\": -1}", "{\"ms\": 3600001}", "{\"ms\": 1.5}", "{\"ms\": \"long\"}"}) {
            NonRetryableJobException e = assertThrows(NonRetryableJobException.class, () -> sleep.handle(new FakeJobContext(payload)), payload);
            assertTrue(e.getMessage().contains("ms"), e.getMessage());
        }
        for (String steps : new String[] {"0", "10001", "2.5", "4294967297"}) {
            NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                    () -> sleep.handle(new FakeJobContext("{\"ms\": 10, \"steps\": " + steps + "}")), steps);
            assertTrue(e.getMessage().contains("payload.steps"), e.getMessage());
        }
        assertThrows(NonRetryableJobException.class, () -> sleep.handle(new FakeJobContext(null)));
    }
}
