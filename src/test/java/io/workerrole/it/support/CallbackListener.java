package io.workerrole.it.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job's callback listener, in the test's own JVM on loopback: it records the body of every
 * POST to {@link #url()} and answers 500 while told to fail, a redirect while told to send
 * callers elsewhere, else 204. {@link #start()} listens on {@link #ORIGIN}, the origin the test
 * servers list in {@code worker.callback.allowedOrigins} (one such listener at a time);
 * {@link #startElsewhere()} on a port of its own, an origin no server allows.
 *
 * <p>Each listener has a path of its own under {@code /done/}: a notice of an earlier test's job
 * is still retried with backoff after that test ends, and must neither count as a call to this
 * listener nor use up its {@link #failNext} answers. Such a late call is answered 204, so that it
 * settles, and is not recorded.
 */
public final class CallbackListener implements AutoCloseable {

    private static final AtomicInteger LISTENERS = new AtomicInteger();

    private final HttpServer server;
    private final String path = "/done/" + LISTENERS.incrementAndGet();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile boolean failing;
    private volatile String redirectTo;

    /** The port of {@link #start()}'s listener. */
    public static final int PORT = 19181;
    /** The origin of {@link #start()}'s listener, as the test servers allow it. */
    public static final String ORIGIN = "http://127.0.0.1:" + PORT;
    /**
     * The {@code @ResourceLock} of the test classes that start the listener on {@link #PORT}, so
     * that no two of them run at the same time.
     */
    public static final String FIXED_PORT = "CallbackListener.PORT";

    private CallbackListener(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/done", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            received.add(body);
            String redirect = redirectTo;
            if (redirect != null) {
                // 307: a client that followed it would POST the same body to the other address
                exchange.getResponseHeaders().add("Location", redirect);
                exchange.sendResponseHeaders(307, -1);
                exchange.close();
                return;
            }
            boolean fail = failing || failuresLeft.getAndDecrement() > 0;
            if (!fail) {
                accepted.add(body);
            }
            exchange.sendResponseHeaders(fail ? 500 : 204, -1);
            exchange.close();
        });
        server.start();
    }

    /** @return a listener on {@link #ORIGIN}, the origin the test servers allow callbacks to */
    public static CallbackListener start() throws IOException {
        return new CallbackListener(PORT);
    }

    /** @return a listener on a free port of its own: an origin no test server allows */
    public static CallbackListener startElsewhere() throws IOException {
        return new CallbackListener(0);
    }

    /** @return the URL to give a job as its callbackUrl */
    public String url() {
        return origin() + path;
    }

    /** @return the listener's origin, {@code http://127.0.0.1:PORT} */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers the next {@code count} callbacks with 500. */
    public void failNext(int count) {
        failuresLeft.set(count);
    }

    /** Answers every callback with 500 while {@code failing} is true. */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Answers every callback with a redirect (307) to this URL. */
    public void redirectTo(String url) {
        this.redirectTo = url;
    }

    /** @return the bodies of every callback so far, answered 500 or not */
    public List<String> received() {
        return received;
    }

    /** @return the bodies of the callbacks answered 204 */
    public List<String> accepted() {
        return accepted;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
