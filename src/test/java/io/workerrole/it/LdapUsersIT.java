package io.workerrole.it;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import io.workerrole.it.support.Api;
import io.workerrole.it.support.ConcurrentClass;
import io.workerrole.it.support.LibertyServer;
import io.workerrole.it.support.LibertyServers;
import io.workerrole.it.support.User;
import io.workerrole.platform.security.Roles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The LDAP example of server-config/security, set up as its comment tells admins: users.xml's
 * include replaced by ldap.xml's, the worker given a service account, groups named as the roles.
 * Users and groups come from an LDAP server in the test's own JVM, on loopback; the worker's own
 * JMS connections sign in through it too.
 */
@ConcurrentClass
class LdapUsersIT {

    private static final String BASE = "dc=example,dc=com";
    private static final User ALICE = new User("alice", "alice-ldap-pw");
    private static final User BOB = new User("bob", "bob-ldap-pw");
    private static final User CAROL = new User("carol", "carol-ldap-pw");
    private static final User SERVICE = new User("worker-svc", "svc-ldap-pw");

    @RegisterExtension
    static final LibertyServers SERVERS = new LibertyServers();

    private static InMemoryDirectoryServer ldap;
    private static LibertyServer server;

    @BeforeAll
    static void startLdapAndAWorkerOnIt() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.addAdditionalBindCredentials("cn=Directory Manager", "manager-pw");
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("loopback", InetAddress.getLoopbackAddress(), 0, null));
        config.setSchema(null);
        ldap = new InMemoryDirectoryServer(config);
        ldap.add("dn: " + BASE, "objectClass: domain", "dc: example");
        ldap.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
        ldap.add("dn: ou=groups," + BASE, "objectClass: organizationalUnit", "ou: groups");
        for (User user : new User[] {ALICE, BOB, CAROL, SERVICE}) {
            ldap.add("dn: uid=" + user.name() + ",ou=people," + BASE, "objectClass: inetOrgPerson", "uid: " + user.name(),
                    "cn: " + user.name(), "sn: " + user.name(), "userPassword: " + user.password());
        }
        ldap.add("dn: cn=job-viewer,ou=groups," + BASE, "objectClass: groupOfNames", "cn: job-viewer", "member: uid=alice,ou=people," + BASE);
        ldap.add("dn: cn=job-submitter,ou=groups," + BASE, "objectClass: groupOfNames", "cn: job-submitter", "member: uid=bob,ou=people," + BASE);
        ldap.add("dn: cn=job-operator,ou=groups," + BASE, "objectClass: groupOfNames", "cn: job-operator", "member: uid=carol,ou=people," + BASE);
        ldap.add("dn: cn=job-admin,ou=groups," + BASE, "objectClass: groupOfNames", "cn: job-admin", "member: uid=carol,ou=people," + BASE);
        ldap.startListening();
        SERVERS.closeAfter(() -> ldap.shutDown(true));

        server = SERVERS.create("workerLdapIT", Map.of(
                "worker.ldap.host", "127.0.0.1",
                "worker.ldap.port", Integer.toString(ldap.getListenPort()),
                "worker.ldap.ssl", "false",
                "worker.ldap.baseDN", BASE,
                "worker.ldap.bindDN", "cn=Directory Manager",
                "worker.ldap.bindPassword", "manager-pw",
                "worker.jms.user", SERVICE.name(),
                "worker.jms.password", SERVICE.password()));
        Path serverXml = server.dir().resolve("server.xml");
        String xml = Files.readString(serverXml);
        Files.writeString(serverXml, xml.replace("<include location=\"users.xml\"/>", "<include location=\"security/ldap.xml\"/>"));
        // LDAP groups are known by their distinguished names: the roles are bound to them by name
        server.bindRoles(Map.of(
                Roles.VIEWER, List.of("<group name=\"job-viewer\"/>"),
                Roles.SUBMITTER, List.of("<group name=\"job-submitter\"/>"),
                Roles.OPERATOR, List.of("<group name=\"job-operator\"/>"),
                Roles.ADMIN, List.of("<group name=\"job-admin\"/>")));
        server.withJmsProbe().start();
    }

    @Test
    void usersOfTheLdapGroupsNamedAsTheRolesHaveThoseRolesAndNoOthers() {
        Api api = server.api();
        assertEquals(200, api.as(ALICE).get("/api/jobs?limit=1").status(), "alice is in job-viewer");
        assertEquals(403, api.as(ALICE).submit("{\"type\": \"echo\"}").status(), "alice is not in job-submitter");
        assertEquals(202, api.as(BOB).submit("{\"type\": \"echo\"}").status(), "bob is");
        assertEquals(403, api.as(BOB).get("/api/jobs?limit=1").status(), "bob is not in job-viewer");
        assertEquals(200, api.as(CAROL).post("/api/jobs/requeue?type=echo", "application/json", new byte[0]).status(), "carol is in job-operator");
        assertEquals(401, api.as(new User(ALICE.name(), "not-her-password")).get("/api/jobs?limit=1").status());
        assertEquals(401, api.as(User.ADMIN).get("/api/jobs?limit=1").status(), "users.xml's users are gone");
    }

    @Test
    void theWorkerSignsInToItsMessagingEngineWithItsLdapServiceAccount() {
        String correlationId = "ldap-" + UUID.randomUUID();
        server.probe().sendMessage("{\"type\": \"echo\", \"payload\": \"through ldap\"}", Map.of("correlationId", correlationId,
                "replyTo", "jms/worker/replies"));
        String reply = server.probe().receive("jms/worker/replies", correlationId).getString("body");
        assertEquals("SUCCEEDED", Api.parse(reply).asJsonObject().getString("state"),
                "the job listener took the message and the worker sent the reply, both signed in as " + SERVICE.name());
    }
}
