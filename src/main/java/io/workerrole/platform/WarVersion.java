package io.workerrole.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;

import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.logging.Logger;

/**
 * The version of the worker this server runs, as its heartbeat tells the other servers: during a
 * rolling upgrade servers of two builds share the store, and an operator must tell them apart.
 * The build writes it in the WAR's manifest ({@code Implementation-Version}: the pom's version
 * and the time of the build, so that two builds of one version differ); {@code worker.version}
 * in server.xml, when set, names it instead (a release name, a commit).
 */
@ApplicationScoped
public class WarVersion {

    public static final String VERSION = "worker.version";
    /** What a WAR without the entry (a loose application of {@code mvn liberty:run}) says. */
    static final String UNKNOWN = "unknown";

    private static final Logger LOG = Logger.getLogger(WarVersion.class.getName());

    @Inject
    WorkerSettings settings;

    /** The manifest's entry, read once when the application starts: a deployed WAR does not change. */
    private volatile String built = UNKNOWN;

    /**
     * Reads the WAR's manifest when the application starts, from the servlet context the
     * container hands over then (Liberty's injectable one works only within a request).
     */
    void started(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        try (InputStream in = context.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            String version = in == null ? null : new Manifest(in).getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            built = version == null || version.isBlank() ? UNKNOWN : version.strip();
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "Could not read the WAR's version from its manifest: " + e);
        }
    }

    /** @return {@code worker.version} if set, else the WAR's own version */
    public String version() {
        String set = settings.readString(VERSION, "");
        return set.isBlank() ? built : set.strip();
    }
}
