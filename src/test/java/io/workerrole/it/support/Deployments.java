package io.workerrole.it.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/**
 * Builds test deployments: the worker's real WAR, as the build packaged it, plus the test beans
 * a test needs. The context root is the deployment's name, so tests address
 * {@code /NAME/api/jobs} and {@code /NAME/probe}.
 */
public final class Deployments {

    private static final File WORKER_WAR = new File("target/worker-role.war");

    private Deployments() {
    }

    /**
     * @param name the archive's name, which is also its context root
     * @param beans test beans (hooks, tasks, handlers) to add to the worker
     */
    public static WebArchive worker(String name, Class<?>... beans) {
        WebArchive archive = ShrinkWrap.create(WebArchive.class, name + ".war")
                .merge(ShrinkWrap.createFromZipFile(WebArchive.class, WORKER_WAR));
        archive.delete("WEB-INF/ibm-web-ext.xml");
        return archive.addClasses(Journal.class, ProbeServlet.class, StartGate.class, JmsProbeServlet.class)
                .addClasses(beans);
    }
}
