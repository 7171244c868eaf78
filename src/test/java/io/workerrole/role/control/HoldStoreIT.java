package io.workerrole.role.control;

import io.workerrole.platform.Database;
import io.workerrole.role.entity.Hold;
import io.workerrole.testing.StoreDatabaseTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operators' holds, on Derby and PostgreSQL: one per scope, a new one replacing the last,
 * all of a request or none, a lapsed one deleted by the next change and not lifted twice.
 */
class HoldStoreIT extends StoreDatabaseTest {

    HoldStoreIT() {
        super("worker-hold-it");
    }

    private HoldStore open(String database) throws SQLException {
        try (Connection c = db.get(database).getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM worker_hold"); // each test from no holds, lapsed or not
        }
        return new HoldStore(new Database(db.get(database)));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aHoldReplacesTheLastOfItsScopeAndKeepsWhoWhyAndUntilWhen(String database) throws SQLException {
        HoldStore store = open(database);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        store.put(List.of(new Hold(Hold.FLEET, "ops", "bad release", now, now.plus(Duration.ofHours(1)))), now);
        store.put(List.of(new Hold(Hold.FLEET, "lead", null, now.plusSeconds(5), null), new Hold("thumbnail", "lead", "images down", now, null)), now);

        assertEquals(List.of(new Hold(Hold.FLEET, "lead", null, now.plusSeconds(5), null), new Hold("thumbnail", "lead", "images down", now, null)),
                store.all());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLapsedHoldIsNotLiftedAndGoesWithTheNextChange(String database) throws SQLException {
        HoldStore store = open(database);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String type = "t" + UUID.randomUUID().toString().substring(0, 8);
        store.put(List.of(new Hold(type, "ops", null, now, now.plusSeconds(10))), now);

        Instant later = now.plusSeconds(10);
        assertFalse(store.lift(type, later), "it lifted itself at its time: nothing in force to lift");
        assertEquals(1, store.all().size(), "still recorded, lapsed");
        store.put(List.of(new Hold(Hold.FLEET, "ops", null, later, null)), later);
        assertEquals(List.of(Hold.FLEET), store.all().stream().map(Hold::scope).toList(), "the lapsed one went with the next change");
        assertTrue(store.lift(Hold.FLEET, later));
        assertEquals(List.of(), store.all());
    }
}
