package io.workerrole.platform;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreOutageTest {

    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger log = Logger.getAnonymousLogger();
    private final StoreOutage outage;

    StoreOutageTest() {
        log.setUseParentHandlers(false);
        log.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        outage = new StoreOutage(log, "no jobs are claimed");
    }

    @Test
    void logsAnOutageOnceAndItsEndOnce() {
        for (int i = 0; i < 50; i++) {
            outage.failed(new StoreException("down", null));
        }
        assertTrue(outage.isOngoing());
        outage.succeeded();
        outage.succeeded();

        assertEquals(2, logged.size(), "one error, one recovery, however long it lasted");
        assertTrue(logged.get(1).getMessage().contains("after 50 failed attempts"), logged.get(1).getMessage());
        assertFalse(outage.isOngoing());
    }

    @Test
    void backsOffFromAQuarterSecondToFiveSeconds() {
        outage.failed(new StoreException("down", null));
        assertEquals(Duration.ofMillis(250), outage.nextPause());
        outage.failed(new StoreException("down", null));
        assertEquals(Duration.ofMillis(500), outage.nextPause());
        for (int i = 0; i < 20; i++) {
            outage.failed(new StoreException("down", null));
        }
        assertEquals(Duration.ofSeconds(5), outage.nextPause());
    }

    @Test
    void keepsThePausesOfItsFormerArithmeticThroughALongOutage() {
        for (int failures = 1; failures <= 10_000; failures++) {
            outage.failed(new StoreException("down", null));
            assertEquals(formerNextPause(failures), outage.nextPause(), "after " + failures + " failures");
        }
    }

    @Test
    void neverPausesLongerThanFiveSecondsHoweverLongTheOutage() {
        assertEquals(Duration.ofSeconds(5), StoreOutage.PAUSES.delayAfter(Integer.MAX_VALUE));
    }

    /** StoreOutage.nextPause as it was before it used Backoff (issue 29), kept as the reference. */
    private static Duration formerNextPause(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 5);
        Duration pause = Duration.ofMillis(250).multipliedBy(1L << doublings);
        return pause.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : pause;
    }
}
