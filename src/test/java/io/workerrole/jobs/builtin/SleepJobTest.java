package io.workerrole.jobs.builtin;

import io.workerrole.api.NonRetryableJobException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SleepJobTest {

    private final SleepJob sleep = new SleepJob();

    @Test
    void sleepsInStepsCheckpointingEach() throws Exception {
        FakeJobContext job = new FakeJobContext("{\"ms\": 40, \"steps\": 4}");

        assertEquals(new SleepJob.Result(40, 4, 0), sleep.handle(job));
        assertEquals(4, job.waits);
        assertEquals(List.of("{\"step\":1}", "{\"step\":2}", "{\"step\":3}", "{\"step\":4}"), job.checkpoints);
        assertEquals(List.of(25, 50, 75, 100), job.progress);
    }

    @Test
    void aResumedRunContinuesFromItsCheckpointAndSaysSo() throws Exception {
        FakeJobContext job = new FakeJobContext("{\"ms\": 40, \"steps\": 4}").withCheckpoint("{\"step\":2}");

        assertEquals(new SleepJob.Result(40, 4, 2), sleep.handle(job));
        assertEquals(2, job.waits, "only the steps left");
    }

    @Test
    void cancelledHalfWayItStopsWithItsCheckpointSaved() {
        FakeJobContext job = new FakeJobContext("{\"ms\": 40, \"steps\": 4}").cancelOnWait(3);

        assertThrows(CancellationException.class, () -> sleep.handle(job));
        assertEquals("{\"step\":2}", job.lastCheckpointJson());
    }

    @Test
    void rejectsPayloadsItCannotRun() {
        assertThrows(NonRetryableJobException.class, () -> sleep.handle(new FakeJobContext("{}")));
        assertThrows(NonRetryableJobException.class, () -> sleep.handle(new FakeJobContext("{\"ms\": -1}")));
        assertThrows(NonRetryableJobException.class, () -> sleep.handle(new FakeJobContext("{\"ms\": 10, \"steps\": 0}")));
        assertThrows(NonRetryableJobException.class, () -> sleep.handle(new FakeJobContext("{\"ms\": \"long\"}")));
    }
}
