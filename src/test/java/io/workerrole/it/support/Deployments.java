package io.workerrole.it.support;

import org.jboss.shrinkwrap.api.Filters;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** Builds test deployments: the worker's own code plus the test beans a test needs. */
public final class Deployments {

    private static final String[] WORKER_PACKAGES = {"io.workerrole.api", "io.workerrole.platform", "io.workerrole.role"};

    private Deployments() {
    }

    /**
     * @param name the archive's name, which is also its context root
     * @param beans test beans (hooks, tasks) to add to the worker
     */
    public static WebArchive worker(String name, Class<?>... beans) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addPackages(true, Filters.exclude(".*(Test|IT)(\\$.*)?\\.class"), WORKER_PACKAGES)
                .addClasses(Journal.class, ProbeServlet.class, StartGate.class)
                .addClasses(beans)
                .addAsWebInfResource(new File("src/main/webapp/WEB-INF/beans.xml"), "beans.xml");
    }
}
