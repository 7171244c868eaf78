package io.workerrole.jobs.control.dispatch;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.JobSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SucceededJobsLogTest {

    private final Logger logger = Logger.getLogger("io.workerrole.jobs");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final SucceededJobsLog log = new SucceededJobsLog();

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
    }

    private static Job job(String id, String type) {
        return new Job(id, 1, type, JobState.SUCCEEDED, 4, JobSource.HTTP, "null", "null", null, 100, null, 1, 5,
                null, null, null, null, null, null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH,
                Instant.EPOCH, null, null, null);
    }

    @Test
    void oneLineCountsThePeriodsJobsByTypeAndNamesTheSlowest() {
        log.succeeded(job("a", "echo"), 2_000_000);
        log.succeeded(job("b", "thumbnail"), 812_000_000);
        log.succeeded(job("c", "echo"), 5_000_000);
        assertTrue(records.isEmpty(), "no line per job at INFO");

        log.summarize();

        assertEquals(1, records.size());
        assertEquals("3 job(s) succeeded in the last 10 s (echo 2, thumbnail 1); slowest [job b thumbnail] 812 ms",
                formatted(records.get(0)));
    }

    @Test
    void aPeriodWithoutJobsWritesNothingAndCountsStartAgain() {
        log.succeeded(job("a", "echo"), 1_000_000);
        log.summarize();
        log.summarize();
        log.succeeded(job("d", "echo"), 3_000_000);
        log.summarize();

        assertEquals(2, records.size());
        assertTrue(formatted(records.get(1)).startsWith("1 job(s) succeeded"), formatted(records.get(1)));
        assertTrue(formatted(records.get(1)).endsWith("[job d echo] 3 ms"), formatted(records.get(1)));
    }

    private static String formatted(LogRecord record) {
        return record.getMessage();
    }
}
