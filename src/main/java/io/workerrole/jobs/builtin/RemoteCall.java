package io.workerrole.jobs.builtin;

import io.workerrole.platform.AllowedOrigins;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * A call to another service, guarded by MicroProfile Fault Tolerance: the way a handler should
 * call out. A failed call (an error or a 5xx answer) is retried a few times with a short delay
 * inside the same job attempt; a call that hangs is cut off; when the service keeps failing the
 * circuit opens and calls fail fast (the job then fails and is retried later by the worker, with
 * its own backoff); at most a few calls are in flight at once. A service that could not be reached
 * fails with {@link Unreachable}, its message naming the origin only (the cause holds the details).
 */
@ApplicationScoped
public class RemoteCall {

    static final int MAX_RETRIES = 3;

    /**
     * HTTP/1.1: over plain http the JDK client otherwise asks every new connection to upgrade to
     * HTTP/2 (h2c), and Liberty left such a first request unanswered when its answer was an error
     * the application's error page renders (a 503 from sendError): the call outlasted its @Timeout.
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** The answer of a successful call. */
    public record Answer(int status, String body) {
    }

    @Retry(maxRetries = MAX_RETRIES, delay = 200, delayUnit = ChronoUnit.MILLIS, jitter = 50, retryOn = RemoteCallFailed.class)
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 10, delayUnit = ChronoUnit.SECONDS)
    @Bulkhead(4)
    public Answer get(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500) {
                throw new RemoteCallFailed(uri + " answered " + response.statusCode());
            }
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new Unreachable("could not reach " + AllowedOrigins.origin(uri), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while calling " + uri, e));
        }
    }

    /** A failure worth retrying: the service is down or answered with a server error. */
    public static class RemoteCallFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteCallFailed(String message) {
            super(message);
        }

        RemoteCallFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The service could not be reached at all: refused, reset, timed out, not HTTP, TLS failed. */
    public static class Unreachable extends RemoteCallFailed {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
