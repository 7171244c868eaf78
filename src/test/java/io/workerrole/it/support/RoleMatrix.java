package io.workerrole.it.support;

import io.workerrole.platform.security.Roles;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks one endpoint with three callers — none, one without the role, one with it — and checks
 * that they get 401, 403 and 2xx, with JSON bodies, and that the refused calls changed nothing.
 * The same walk runs with basic credentials and with bearer tokens.
 *
 * @param anonymous the API without credentials
 * @param admin the API as a caller with every role, to set up and to look
 * @param withRoleOnly the API as a caller who has the given role, and no role above it
 * @param withoutRole the API as a caller who lacks the given role
 */
public record RoleMatrix(Api anonymous, Api admin, Function<String, Api> withRoleOnly, Function<String, Api> withoutRole) {

    /** Callers with basic credentials: the users of server-config/users.xml. */
    public static RoleMatrix basic(Api api) {
        return new RoleMatrix(api.anonymous(), api.as(User.ADMIN), role -> api.as(leastUserWith(role)), role -> api.as(aUserWithout(role)));
    }

    /** @return the user with the fewest roles who has this one */
    public static User leastUserWith(String role) {
        return switch (role) {
            case Roles.VIEWER -> User.VIEWER;
            case Roles.SUBMITTER -> User.SUBMITTER;
            case Roles.OPERATOR -> User.OPERATOR;
            default -> User.ADMIN;
        };
    }

    /** @return a user who lacks this role (and has another) */
    public static User aUserWithout(String role) {
        return leastUserWith(aRoleOtherThan(role));
    }

    /** @return another role, whose least user does not have this one */
    public static String aRoleOtherThan(String role) {
        return switch (role) {
            case Roles.VIEWER -> Roles.SUBMITTER;
            case Roles.ADMIN -> Roles.OPERATOR;
            default -> Roles.VIEWER;
        };
    }

    public void check(ApiEndpoint endpoint, ApiEndpoint.Fixture fixture) {
        String what = endpoint.method() + " " + endpoint.path();
        String before = endpoint.observe(admin, fixture);

        Api.Answer none = endpoint.call(anonymous, fixture);
        assertEquals(401, none.status(), what + " without credentials: " + none.body());
        assertEquals(401, none.json().getInt("status"), what);

        Api.Answer wrong = endpoint.call(withoutRole.apply(endpoint.role()), fixture);
        assertEquals(403, wrong.status(), what + " without the role " + endpoint.role() + ": " + wrong.body());
        assertTrue(wrong.json().getString("message").contains(endpoint.role()), what + ": the refusal names the role: " + wrong.body());

        assertEquals(before, endpoint.observe(admin, fixture), what + ": the refused calls changed nothing");

        endpoint.prepare(admin, fixture);
        Api.Answer right = endpoint.call(withRoleOnly.apply(endpoint.role()), fixture);
        assertEquals(2, right.status() / 100, what + " with the role " + endpoint.role() + ": " + right.status() + " " + right.body());
    }
}
