package io.workerrole.platform.security;

import io.workerrole.api.RoleHook;
import io.workerrole.platform.WorkerSettings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The first start hook: the passwords server-config ships with are for a worker that only its
 * own machine can reach. While any is in use, the worker says so at start; and it refuses to
 * start when it also listens on more than loopback ({@code worker.http.host}), so that a server
 * opened up before its passwords were changed runs no job and takes none: readiness DOWN,
 * submissions 503, and why in the log.
 */
@ApplicationScoped
@Priority(50)
public class ShippedPasswordsCheck implements RoleHook {

    public static final String HTTP_HOST = "worker.http.host";

    /** The settings whose shipped values must be changed, with those values (users.xml, server.xml; ShippedPasswordsTest keeps them in step). */
    static final Map<String, String> SHIPPED = new TreeMap<>(Map.of(
            "worker.user.viewer.password", "viewer-change-me",
            "worker.user.submitter.password", "submitter-change-me",
            "worker.user.operator.password", "operator-change-me",
            "worker.user.admin.password", "admin-change-me",
            "worker.jms.password", "worker-change-me",
            "worker.keystore.password", "keystore-change-me"));

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.]+]?");
    private static final Logger LOG = Logger.getLogger(ShippedPasswordsCheck.class.getName());

    @Inject
    WorkerSettings settings;

    @Override
    public boolean onStart() {
        List<String> shipped = SHIPPED.entrySet().stream()
                .filter(setting -> setting.getValue().equals(settings.readString(setting.getKey(), null)))
                .map(Map.Entry::getKey)
                .toList();
        if (shipped.isEmpty()) {
            return true;
        }
        String host = settings.readString(HTTP_HOST, "localhost");
        if (isLoopback(host)) {
            LOG.warning(() -> "The shipped passwords are in use (" + String.join(", ", shipped) + "): fine while only this machine "
                    + "can reach the worker (" + HTTP_HOST + "=" + host + "); change them before opening it up (docs/security.md)");
            return true;
        }
        LOG.severe(() -> "Refusing to start: the worker listens on " + HTTP_HOST + "=" + host + " with the shipped passwords of "
                + String.join(", ", shipped) + ". Set them in configDropins/overrides or as environment variables (docs/security.md)");
        return false;
    }

    /** @return whether the host is this machine only: localhost, or a loopback address (never looked up in DNS) */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(host).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
