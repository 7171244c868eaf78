package io.workerrole.it.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The users of server-config/users.xml, with the passwords the tests' servers give them (in
 * their overrides, as admins are told to: never the shipped defaults). One per role; admin
 * has every role, operator also reads.
 */
public record User(String name, String password) {

    public static final User VIEWER = new User("viewer", "viewer-test-pw");
    public static final User SUBMITTER = new User("submitter", "submitter-test-pw");
    public static final User OPERATOR = new User("operator", "operator-test-pw");
    public static final User ADMIN = new User("admin", "admin-test-pw");
    /** The worker's own identity on its messaging engine (worker.jms.user). */
    public static final User WORKER = new User("worker", "worker-test-pw");
    /** The password of the test servers' key stores (worker.keystore.password). */
    public static final String KEYSTORE_PASSWORD = "keystore-test-pw";

    /** @return the value of an Authorization header with this user's basic credentials */
    public String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** @return the server.xml variables that set these passwords, for a test server's overrides */
    public static Map<String, String> passwordVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        Stream.of(VIEWER, SUBMITTER, OPERATOR, ADMIN).forEach(u -> variables.put("worker.user." + u.name() + ".password", u.password()));
        variables.put("worker.jms.password", WORKER.password());
        variables.put("worker.keystore.password", KEYSTORE_PASSWORD);
        return variables;
    }
}
