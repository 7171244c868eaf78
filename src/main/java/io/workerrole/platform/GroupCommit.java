package io.workerrole.platform;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the requests of many threads in one transaction: group commit. A commit costs the
 * same for one row as for a hundred (the database waits for its log to reach the disk), so
 * threads that arrive while a commit is under way are written together in the next one.
 *
 * <p>There is no writer thread: the first caller to find the store free leads, writing every
 * request waiting at that moment, up to {@code maxBatch}; the others wait for the lead and then
 * either find their request written or lead the next batch themselves. A caller alone is written
 * at once, so group commit adds no delay at low load. Every caller returns only after the
 * transaction holding its request has committed, or with its failure.
 *
 * <p>When a batch fails, each of its requests is written again on its own
 * ({@link Writer#writeOne}), so one bad request (a duplicate key, say) fails alone and never
 * takes the others with it.
 *
 * @param <R> a request
 * @param <T> what writing it gives back
 */
public final class GroupCommit<R, T> {

    /** Writes requests to the database. */
    public interface Writer<R, T> {

        /**
         * Writes the requests in one transaction.
         *
         * @return one result per request, in order
         * @throws SQLException if the transaction failed: nothing of it was written
         */
        List<T> writeAll(List<R> requests) throws SQLException;

        /** Writes one request in a transaction of its own. */
        T writeOne(R request) throws SQLException;
    }

    private final Writer<R, T> writer;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Pending<R, T>> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lead = new ReentrantLock();

    public GroupCommit(Writer<R, T> writer, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
        }
        this.writer = writer;
        this.maxBatch = maxBatch;
    }

    /**
     * Writes the request, together with those of other threads waiting at the same time.
     *
     * @return its result, once its transaction has committed
     * @throws SQLException if it could not be written
     */
    public T write(R request) throws SQLException {
        Pending<R, T> mine = new Pending<>(request);
        waiting.add(mine);
        while (!mine.done) {
            lead.lock();
            try {
                if (!mine.done) {
                    writeWaiting();
                }
            } finally {
                lead.unlock();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /**
     * Writes requests a caller already holds together (a batch it was given), {@code maxBatch}
     * per transaction, with the same fallback as grouped requests: where a transaction fails,
     * each of its requests is written on its own.
     *
     * @return one result per request, in order
     * @throws SQLException the first failure of a request written on its own
     */
    public List<T> writeAll(List<R> requests) throws SQLException {
        List<Pending<R, T>> pending = requests.stream().map(Pending<R, T>::new).toList();
        for (int from = 0; from < pending.size(); from += maxBatch) {
            write(pending.subList(from, Math.min(from + maxBatch, pending.size())));
        }
        List<T> results = new ArrayList<>(pending.size());
        for (Pending<R, T> p : pending) {
            if (p.failure != null) {
                throw p.failure;
            }
            results.add(p.result);
        }
        return results;
    }

    /** @return how many requests wait to be written (for tests and diagnostics) */
    int waiting() {
        return waiting.size();
    }

    /** Writes up to {@code maxBatch} waiting requests, oldest first. Called by the lead only. */
    private void writeWaiting() {
        List<Pending<R, T>> batch = new ArrayList<>(Math.min(maxBatch, 64));
        for (Pending<R, T> next; batch.size() < maxBatch && (next = waiting.poll()) != null; ) {
            batch.add(next);
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
    }

    /** Writes the batch in one transaction, or, if that fails, each of its requests on its own. */
    private void write(List<Pending<R, T>> batch) {
        if (batch.size() > 1 && writeTogether(batch)) {
            return;
        }
        for (Pending<R, T> pending : batch) {
            try {
                pending.succeed(writer.writeOne(pending.request));
            } catch (SQLException | RuntimeException e) {
                pending.fail(e);
            }
        }
    }

    /** @return false if the batch failed and nothing of it was written */
    private boolean writeTogether(List<Pending<R, T>> batch) {
        List<T> results;
        try {
            results = writer.writeAll(batch.stream().map(p -> p.request).toList());
        } catch (SQLException | RuntimeException e) {
            return false;
        }
        if (results.size() != batch.size()) {
            throw new IllegalStateException("the writer gave " + results.size() + " results for " + batch.size() + " requests");
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).succeed(results.get(i));
        }
        return true;
    }

    /** A request and, once written, its result or failure. Read by its caller after the lock's hand-over. */
    private static final class Pending<R, T> {
        final R request;
        volatile boolean done;
        T result;
        SQLException failure;

        Pending(R request) {
            this.request = request;
        }

        void succeed(T value) {
            result = value;
            done = true;
        }

        void fail(Exception e) {
            failure = e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
            done = true;
        }
    }
}
