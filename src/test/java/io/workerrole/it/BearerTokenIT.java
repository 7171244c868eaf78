package io.workerrole.it;

import io.workerrole.it.support.Api;
import io.workerrole.it.support.Api.Answer;
import io.workerrole.it.support.ApiEndpoint;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.RoleMatrix;
import io.workerrole.it.support.Tls;
import io.workerrole.it.support.TokenIssuer;
import io.workerrole.it.support.User;
import io.workerrole.platform.security.Roles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server set up for production as the README says: plain HTTP off (default.http.port -1),
 * HTTPS with the certificate Liberty made, and bearer tokens (server-config/security/jwt.xml,
 * copied in as it is, with the public key of an identity provider the test plays). Every
 * endpoint answers 401 without a token, 403 to a token without its role in its groups claim,
 * and 2xx to one with it; a token that is expired, from another issuer or tampered with is
 * refused, and so are basic credentials. A role bound to a group of the issuer's own
 * ({@code <application-bnd>}) is granted to tokens of that group.
 */
@ConcurrentClass
class BearerTokenIT {

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static LibertyServer server;
    private static TokenIssuer issuer;
    private static Api api;
    private static ApiEndpoint.Fixture fixture;

    @BeforeAll
    static void startServerWithTokensOverHttpsOnly() throws Exception {
        issuer = new TokenIssuer("https://issuer.test");
        server = SERVERS.create("workerTokensIT", Map.of(
                "default.http.port", "-1",
                "worker.jwt.issuer", issuer.issuer(),
                // the fixture's job dies at once
                "worker.retry.maxAttempts.fail", "1"));
        Files.copy(Path.of("server-config/security/jwt.xml"), server.dir().resolve("configDropins/overrides/jwt.xml"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(server.dir().resolve("jwt-public.pem"), issuer.publicKeyPem());
        // Deployed as server.xml's comment shows, to bind job-viewer to a group of the issuer's own
        // too: with bindings, each role is bound, or it is granted to nobody.
        server.bindRoles(Map.of(
                Roles.VIEWER, List.of(tokenGroup("job-viewer"), tokenGroup("support")),
                Roles.SUBMITTER, List.of(tokenGroup("job-submitter")),
                Roles.OPERATOR, List.of(tokenGroup("job-operator")),
                Roles.ADMIN, List.of(tokenGroup("job-admin"))));
        server.launch();

        Path keyStore = server.dir().resolve("resources/security/key.p12");
        String base = "https://localhost:" + server.httpsPort();
        HttpClient https = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> ready(Tls.trusting(keyStore, User.KEYSTORE_PASSWORD), base), client -> client != null);
        api = new Api(base, "").over(https).withToken(issuer.token("root", Roles.ALL));
        fixture = ApiEndpoint.Fixture.create(api, server.dir());
    }

    /** @return a group of the issuer's tokens, named with the token's realm, its issuer */
    private static String tokenGroup(String name) {
        return "<group name=\"" + name + "\" access-id=\"group:" + issuer.issuer() + "/" + name + "\"/>";
    }

    /** @return the client once the worker answers ready over it, else null */
    private static HttpClient ready(HttpClient client, String base) throws IOException, InterruptedException {
        HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        return ready.statusCode() == 200 ? client : null;
    }

    @ParameterizedTest
    @EnumSource(ApiEndpoint.class)
    void everyCallAnswers401WithoutAToken403WithoutItsRoleAnd2xxWithIt(ApiEndpoint endpoint) {
        RoleMatrix tokens = new RoleMatrix(api.anonymous(), api,
                role -> api.withToken(issuer.token("with-" + role, List.of(role))),
                role -> api.withToken(issuer.token("without-" + role, List.of(RoleMatrix.aRoleOtherThan(role)))));
        tokens.check(endpoint, fixture);
    }

    @Test
    void aRoleBoundToAGroupOfTheIssuerIsGrantedToTokensOfThatGroup() {
        Api support = api.withToken(issuer.token("sam", List.of("support")));
        assertEquals(200, support.get("/api/jobs?limit=1").status(), "support is bound to job-viewer");
        assertEquals(403, support.submit("{\"type\": \"echo\"}").status(), "and to nothing else");
    }

    @Test
    void plainHttpIsOff() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThrows(ConnectException.class, () -> plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.httpPort() + "/health/ready"))
                .build(), HttpResponse.BodyHandlers.discarding()));
    }

    @Test
    void aTokenExpiredFromAnotherIssuerOrTamperedWithIsRefusedAndSoAreBasicCredentials() {
        String viewer = issuer.token("late", List.of(Roles.VIEWER), issuer.issuer(), Instant.now().minus(Duration.ofHours(1)));
        assertEquals(401, api.withToken(viewer).get("/api/jobs").status(), "expired");

        String foreign = issuer.token("stranger", List.of(Roles.VIEWER), "https://elsewhere.test", Instant.now().plus(Duration.ofHours(1)));
        assertEquals(401, api.withToken(foreign).get("/api/jobs").status(), "another issuer");

        String valid = issuer.token("mallory", List.of(Roles.VIEWER));
        String[] parts = valid.split("\\.");
        String promoted = parts[0] + "." + issuer.token("mallory", Roles.ALL).split("\\.")[1] + "." + parts[2];
        assertEquals(401, api.withToken(promoted).get("/api/jobs").status(), "claims changed after signing");
        assertEquals(200, api.withToken(valid).get("/api/jobs").status(), "the token as signed");

        Answer basic = api.as(User.ADMIN).get("/api/jobs");
        assertEquals(401, basic.status(), "tokens take over the API's authentication: " + basic.body());
        assertTrue(basic.json().getString("message").contains("bearer"), basic.body());
    }
}
