package io.workerrole.jobs.control.intake;

import io.workerrole.api.BackgroundTask;
import io.workerrole.api.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Opens and closes the job message endpoint. The activation spec starts paused
 * ({@code autoStart="false"} in server.xml), so no message is taken before the worker has
 * started; this supervised task resumes it while the worker runs, and pauses it when the worker
 * is frozen or stops. A paused endpoint leaves messages on the queue without touching their
 * delivery count, unlike consuming and rolling back. It uses Liberty's ServerEndpointControl
 * MBean, the same control as {@code server pause --target=...}.
 */
@ApplicationScoped
@Named("job-messages")
public class MessageIntake implements BackgroundTask {

    static final String LISTENER = "JobMessageListener";
    private static final Logger LOG = Logger.getLogger(MessageIntake.class.getName());

    @Override
    public void run(TaskContext context) throws Exception {
        String endpoint = endpointName();
        control("resume", endpoint);
        LOG.info(() -> "Taking job messages (" + endpoint + ")");
        try {
            while (!context.awaitStop(Duration.ofSeconds(1))) {
                // the endpoint delivers on its own threads; this task only holds it open
            }
        } finally {
            control("pause", endpoint);
            LOG.info(() -> "Job messages paused: they wait on the queue (" + endpoint + ")");
        }
    }

    /** @return the endpoint's name as Liberty knows it: application#module#bean */
    static String endpointName() throws NamingException {
        String app = InitialContext.doLookup("java:app/AppName");
        String module = InitialContext.doLookup("java:module/ModuleName");
        return app + "#" + module + ".war#" + LISTENER;
    }

    private static void control(String operation, String endpoint) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName control = new ObjectName("WebSphere:feature=kernel,name=ServerEndpointControl");
        server.invoke(control, operation, new Object[]{endpoint}, new String[]{String.class.getName()});
    }
}
