package io.workerrole.it.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An identity provider of the test's own: an RSA key pair it makes, the public half as the PEM
 * file the worker is given, and MicroProfile JWTs (RS256) it signs with the private half.
 */
public final class TokenIssuer {

    public static final String AUDIENCE = "worker-role";

    private final KeyPair keys;
    private final String issuer;

    public TokenIssuer(String issuer) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.keys = generator.generateKeyPair();
        this.issuer = issuer;
    }

    public String issuer() {
        return issuer;
    }

    /** @return the public key as a PEM file's text */
    public String publicKeyPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** @return a token for the user, valid for an hour, whose groups claim names these roles */
    public String token(String user, List<String> groups) {
        return token(user, groups, issuer, Instant.now().plus(Duration.ofHours(1)));
    }

    /** @return a token as above, from an issuer and expiring when the test says */
    public String token(String user, List<String> groups, String issuer, Instant expires) {
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\": \"" + issuer + "\", \"aud\": \"" + AUDIENCE + "\", \"sub\": \"" + user + "\", \"upn\": \"" + user + "\", "
                + "\"groups\": " + groups.stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(", ", "[", "]")) + ", "
                + "\"iat\": " + now + ", \"exp\": " + expires.getEpochSecond() + ", \"jti\": \"" + UUID.randomUUID() + "\"}";
        String signed = base64Url("{\"alg\": \"RS256\", \"typ\": \"JWT\"}") + "." + base64Url(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
