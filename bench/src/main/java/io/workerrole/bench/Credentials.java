package io.workerrole.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The bench signs in to the worker's API as the bench server's admin (every role), with the
 * password liberty/bench-server sets; BENCH_CREDENTIALS=user:password to use another. The
 * artemis mode signs in to the broker as BENCH_BROKER_CREDENTIALS (user:password), by default as
 * the same user.
 */
final class Credentials {

    private static final String API = System.getenv().getOrDefault("BENCH_CREDENTIALS", "admin:bench-admin-pw");
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(API.getBytes(StandardCharsets.UTF_8));
    private static final String BROKER = System.getenv().getOrDefault("BENCH_BROKER_CREDENTIALS", API);

    private Credentials() {
    }

    /** @return a request to the URI with the bench's credentials */
    static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", BASIC);
    }

    /** @return the user's name on the broker */
    static String brokerUser() {
        return BROKER.substring(0, BROKER.indexOf(':'));
    }

    /** @return that user's password */
    static String brokerPassword() {
        return BROKER.substring(BROKER.indexOf(':') + 1);
    }
}
