package io.workerrole.bench;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends echo job messages to worker.jobs, as any JMS producer on the worker's server would,
 * knowing only the documented contract (connection factory jms/worker/cf, queue jms/worker/jobs):
 * <pre>POST /bench-producer/send?count=N&amp;run=ID[&amp;threads=T][&amp;perSecond=R]</pre>
 * Message i is {"type":"echo","payload":{"i":i},"idempotencyKey":"ID-i"}. Without perSecond the
 * messages are sent as fast as T threads (default 4, each with its own JMSContext and producer)
 * can; with it, at that steady rate from one thread. Answers the time the sending took, in ms.
 */
@WebServlet("/send")
public class ProducerServlet extends HttpServlet {

    @Resource(lookup = "jms/worker/cf")
    ConnectionFactory connectionFactory;

    @Resource
    ManagedExecutorService executor;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int count = Integer.parseInt(request.getParameter("count"));
        String run = request.getParameter("run");
        String perSecond = request.getParameter("perSecond");
        String threadsParameter = request.getParameter("threads");
        long gapNanos = perSecond == null ? 0 : TimeUnit.SECONDS.toNanos(1) / Integer.parseInt(perSecond);
        int threads = gapNanos > 0 ? 1 : threadsParameter == null ? 4 : Math.max(1, Integer.parseInt(threadsParameter));
        long began = System.nanoTime();
        try {
            Queue jobs = InitialContext.doLookup("jms/worker/jobs");
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                senders.add(executor.submit(() -> {
                    try (JMSContext context = connectionFactory.createContext()) {
                        JMSProducer producer = context.createProducer();
                        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                            if (gapNanos > 0) {
                                LockSupport.parkNanos(began + i * gapNanos - System.nanoTime());
                            }
                            producer.send(jobs, "{\"type\":\"echo\",\"payload\":{\"i\":" + i + "},\"idempotencyKey\":\"" + run + "-" + i + "\"}");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
        } catch (NamingException | ExecutionException e) {
            throw new IOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        response.setContentType("text/plain");
        response.getWriter().print(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }
}
