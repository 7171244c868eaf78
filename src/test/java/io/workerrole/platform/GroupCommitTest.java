package io.workerrole.platform;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

class GroupCommitTest {

    /** Doubles numbers; refuses negative ones; records each transaction it was asked for. */
    static final class Doubler implements GroupCommit.Writer<Integer, Integer> {
        final List<List<Integer>> transactions = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstTransactionMayEnd;
        final CountDownLatch firstTransactionBegan = new CountDownLatch(1);

        Doubler(CountDownLatch firstTransactionMayEnd) {
            this.firstTransactionMayEnd = firstTransactionMayEnd;
        }

        @Override
        public List<Integer> writeAll(List<Integer> requests) throws SQLException {
            transaction(requests);
            if (requests.stream().anyMatch(n -> n < 0)) {
                throw new SQLException("negative");
            }
            return requests.stream().map(n -> n * 2).toList();
        }

        @Override
        public Integer writeOne(Integer request) throws SQLException {
            return writeAll(List.of(request)).get(0);
        }

        private void transaction(List<Integer> requests) {
            transactions.add(List.copyOf(requests));
            firstTransactionBegan.countDown();
            try {
                firstTransactionMayEnd.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aLoneRequestIsWrittenAtOnceInATransactionOfItsOwn() throws SQLException {
        Doubler writer = new Doubler(new CountDownLatch(0));
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(writer, 10);

        assertEquals(42, commit.write(21));
        assertEquals(List.of(List.of(21)), writer.transactions);
    }

    @Test
    void requestsThatArriveDuringACommitAreWrittenTogetherInTheNext() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Doubler writer = new Doubler(release);
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(writer, 100);
        ExecutorService threads = Executors.newFixedThreadPool(9);
        try {
            Future<Integer> first = threads.submit(() -> commit.write(0));
            writer.firstTransactionBegan.await(10, TimeUnit.SECONDS);
            List<Future<Integer>> others = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                int n = i;
                others.add(threads.submit(() -> commit.write(n)));
            }
            // All eight wait behind the first commit before it may end.
            await().atMost(Duration.ofSeconds(10)).until(() -> queued(commit) == 8);
            release.countDown();

            assertEquals(0, first.get(10, TimeUnit.SECONDS));
            for (int i = 1; i <= 8; i++) {
                assertEquals(2 * i, others.get(i - 1).get(10, TimeUnit.SECONDS));
            }
            assertEquals(2, writer.transactions.size(), "transactions: " + writer.transactions);
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), writer.transactions.get(1).stream().sorted().toList());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aBatchIsNeverLargerThanItsBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Doubler writer = new Doubler(release);
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(writer, 3);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> all = new ArrayList<>();
            all.add(threads.submit(() -> commit.write(0)));
            writer.firstTransactionBegan.await(10, TimeUnit.SECONDS);
            for (int i = 1; i < 8; i++) {
                int n = i;
                all.add(threads.submit(() -> commit.write(n)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> queued(commit) == 7);
            release.countDown();
            for (int i = 0; i < 8; i++) {
                assertEquals(2 * i, all.get(i).get(10, TimeUnit.SECONDS));
            }
            assertTrue(writer.transactions.stream().allMatch(t -> t.size() <= 3), "transactions: " + writer.transactions);
            assertEquals(8, writer.transactions.stream().mapToInt(List::size).sum());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aBadRequestFailsAloneAndTheOthersOfItsBatchAreWritten() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Doubler writer = new Doubler(release);
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(writer, 100);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Future<Integer> first = threads.submit(() -> commit.write(1));
            writer.firstTransactionBegan.await(10, TimeUnit.SECONDS);
            Future<Integer> good = threads.submit(() -> commit.write(2));
            Future<Integer> bad = threads.submit(() -> commit.write(-1));
            Future<Integer> alsoGood = threads.submit(() -> commit.write(3));
            await().atMost(Duration.ofSeconds(10)).until(() -> queued(commit) == 3);
            release.countDown();

            assertEquals(2, first.get(10, TimeUnit.SECONDS));
            assertEquals(4, good.get(10, TimeUnit.SECONDS));
            assertEquals(6, alsoGood.get(10, TimeUnit.SECONDS));
            ExecutionException failed = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
            assertInstanceOf(SQLException.class, failed.getCause());
            // The batch of three failed, then each was written on its own.
            assertEquals(5, writer.transactions.size(), "transactions: " + writer.transactions);
            assertTrue(writer.transactions.containsAll(List.of(List.of(2), List.of(-1), List.of(3))), "transactions: " + writer.transactions);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aBatchTheCallerHoldsIsWrittenInBoundedTransactionsWithResultsInOrder() throws SQLException {
        Doubler writer = new Doubler(new CountDownLatch(0));
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(writer, 3);

        assertEquals(List.of(2, 4, 6, 8, 10, 12, 14), commit.writeAll(List.of(1, 2, 3, 4, 5, 6, 7)));
        assertEquals(List.of(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7)), writer.transactions);
    }

    @Test
    void aBadRequestInAHeldBatchFailsTheCallAfterTheOthersAreWritten() {
        Doubler writer = new Doubler(new CountDownLatch(0));
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(writer, 10);

        assertThrows(SQLException.class, () -> commit.writeAll(List.of(1, -1, 3)));
        assertEquals(List.of(List.of(1, -1, 3), List.of(1), List.of(-1), List.of(3)), writer.transactions);
    }

    private static int queued(GroupCommit<?, ?> commit) {
        return commit.waiting();
    }
}
