package io.workerrole.platform.security;

import org.eclipse.microprofile.jwt.JsonWebToken;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Whose an idempotency key is. A key is unique within its scope only: the way a request came in
 * and the caller that way in authenticated ({@code http:alice}, {@code jms:alice},
 * {@code code:alice}), or the way in alone where nobody was authenticated or the way in cannot
 * tell who sent it ({@code jms}, {@code code}, and the worker's own {@code storage},
 * {@code pipeline}). So one caller's key never finds, nor blocks, another caller's job.
 *
 * <p>The way in is part of the scope because each names its callers from a registry of its own:
 * an Artemis user is not the Liberty user of the same name, nor is a bearer token's user from
 * one issuer the same-named user of another (its scope names the issuer too).
 */
public final class IdempotencyScope {

    /** The longest scope the job store keeps (worker_job.idempotency_scope); longer ones are kept as a digest. */
    public static final int MAX_LENGTH = 200;

    /** Whether bearer tokens (MicroProfile JWT) can be in use: its API is visible only with its feature. */
    private static final boolean BEARER_TOKENS = present("org.eclipse.microprofile.jwt.JsonWebToken");

    /** What Liberty names the caller of a thread nobody signed in on. */
    private static final String UNAUTHENTICATED = "UNAUTHENTICATED";

    private IdempotencyScope() {
    }

    /**
     * @param wayIn how the request came in: http, jms, code, ... (lower case)
     * @param caller the caller the way in authenticated, or null if none (or it cannot tell)
     * @return the scope, at most {@link #MAX_LENGTH} characters: a longer one becomes its SHA-256
     *         (still one scope per caller, only no longer readable)
     */
    public static String of(String wayIn, String caller) {
        String way = wayIn.toLowerCase(Locale.ROOT);
        String scope = caller == null || caller.isBlank() ? way : way + ":" + caller;
        return scope.length() <= MAX_LENGTH ? scope : way + ":sha256:" + sha256(scope);
    }

    /**
     * @return the caller a principal stands for, or null for none: its name, and for a bearer
     *         token its issuer first (spaces in it escaped, so that the first space ends it)
     */
    public static String caller(Principal principal) {
        if (principal == null || principal.getName() == null || UNAUTHENTICATED.equals(principal.getName())) {
            return null;
        }
        String issuer = BEARER_TOKENS ? BearerTokens.issuer(principal) : null;
        return issuer == null ? principal.getName() : issuer.replace("%", "%25").replace(" ", "%20") + " " + principal.getName();
    }

    /**
     * Bearer tokens' principals, read only where MicroProfile JWT is on (mpJwt-2.1, security/jwt.xml):
     * without the feature its classes are not there, and this class is never loaded.
     */
    private static final class BearerTokens {

        /** @return the issuer of a token's principal, or null for another principal */
        static String issuer(Principal principal) {
            return principal instanceof JsonWebToken token ? token.getIssuer() : null;
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, IdempotencyScope.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
