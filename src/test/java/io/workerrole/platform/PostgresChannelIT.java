package io.workerrole.platform;

import io.workerrole.testing.LocalPostgres;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A LISTEN/NOTIFY channel on the machine's PostgreSQL: a listener hears what is sent on its
 * channel, in order, and nothing sent on another; a database that is not PostgreSQL cannot
 * listen, and says so.
 */
class PostgresChannelIT {

    private static final Duration WAIT = Duration.ofMillis(100);

    @Test
    void aListenerHearsItsChannelInOrderAndNoOther() throws Exception {
        PostgresChannel channel = new PostgresChannel(LocalPostgres.dataSource("test"), "worker_channel_it");
        PostgresChannel other = new PostgresChannel(LocalPostgres.dataSource("test"), "worker_channel_it_other");
        List<String> heard = new ArrayList<>();
        try (PostgresChannel.Listener listener = channel.listen()) {
            other.send("not for it");
            channel.send("one");
            channel.send("two");

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                heard.addAll(listener.next(WAIT));
                return heard.size() >= 2;
            });
            heard.addAll(listener.next(WAIT));
        }
        assertEquals(List.of("one", "two"), heard);
    }

    @Test
    void nothingSentMeansNothingHeard() throws Exception {
        PostgresChannel channel = new PostgresChannel(LocalPostgres.dataSource("test"), "worker_channel_it_quiet");
        try (PostgresChannel.Listener listener = channel.listen()) {
            assertEquals(List.of(), listener.next(WAIT));
        }
    }

    @Test
    void onlyPostgreSqlCanListen() {
        EmbeddedDataSource derby = new EmbeddedDataSource();
        derby.setDatabaseName("memory:channel-it");
        derby.setCreateDatabase("create");

        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new PostgresChannel(derby, "worker_channel_it").listen());
        assertTrue(e.getMessage().contains("not of the PostgreSQL driver"), e.getMessage());
    }

    @Test
    void aChannelNameMustBeAnIdentifier() {
        assertThrows(IllegalArgumentException.class, () -> new PostgresChannel(LocalPostgres.dataSource("test"), "x; DROP TABLE y"));
    }
}
