package io.workerrole.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The bench signs in to the worker's API as the bench server's admin (every role), with the
 * password liberty/bench-server sets; BENCH_CREDENTIALS=user:password to use another.
 */
final class Credentials {

    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            System.getenv().getOrDefault("BENCH_CREDENTIALS", "admin:bench-admin-pw").getBytes(StandardCharsets.UTF_8));

    private Credentials() {
    }

    /** @return a request to the URI with the bench's credentials */
    static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", BASIC);
    }
}
