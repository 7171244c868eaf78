package io.workerrole.it.support;

import jakarta.annotation.Resource;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.transaction.UserTransaction;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

/**
 * Test-only JMS client inside the server: sends job messages the way any producer would (only
 * the documented contract: a text body, JMSCorrelationID, JMSReplyTo, JMSPriority) and reads
 * the reply and dead-letter queues.
 * <ul>
 * <li>POST /probe/jms/send?correlationId=&amp;replyTo=JNDI&amp;priority=&amp;kind=text|bytes&amp;count=N — the
 * body is the message; with count, "{i}" in it is replaced by 0..N-1; with transaction=commit|rollback
 * sent inside a JTA transaction ended so; with property.NAME=VALUE the message has that string property
 * (a producer's own, or one it tries to forge). Answers the message id. With replyTo=temporary the
 * message's JMSReplyTo is a temporary queue of the probe's own, and it answers the reply that
 * comes there, as receive does, or 404 after timeoutMs. With replyToQueue=NAME the JMSReplyTo is
 * the queue of that name, bound in JNDI or not.</li>
 * <li>GET /probe/jms/receive?queue=JNDI&amp;correlationId=&amp;timeoutMs= — the first matching message,
 * as JSON, or 404.</li>
 * <li>GET /probe/jms/depth?queue=JNDI&amp;correlationId= — how many matching messages wait.</li>
 * </ul>
 * Each takes {@code user} and {@code password} to sign in to the messaging engine as that user
 * (on a server whose connection factory has no credentials of its own: a remote client's), and
 * {@code cf}, the JNDI name of another connection factory than jms/worker/cf (the worker's
 * server's own signs in as the worker, whatever user is given). A refusal by the engine answers
 * 403 with the engine's message.
 */
@WebServlet("/probe/jms/*")
public class JmsProbeServlet extends HttpServlet {

    @Resource(lookup = "jms/worker/cf")
    ConnectionFactory connectionFactory;

    @Resource
    UserTransaction transaction;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int count = request.getParameter("count") == null ? 1 : Integer.parseInt(request.getParameter("count"));
        String ending = request.getParameter("transaction");
        try {
            if (ending != null) {
                transaction.begin();
            }
            send(request, response, body, count);
            if ("commit".equals(ending)) {
                transaction.commit();
            } else if (ending != null) {
                transaction.rollback();
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Sends the messages; inside the request's JTA transaction, if it began one, they count only if it commits. */
    private void send(HttpServletRequest request, HttpServletResponse response, String body, int count) throws IOException {
        try (JMSContext context = context(request)) {
            Queue jobs = InitialContext.doLookup("jms/worker/jobs");
            JMSProducer producer = context.createProducer();
            if (request.getParameter("priority") != null) {
                producer.setPriority(Integer.parseInt(request.getParameter("priority")));
            }
            TemporaryQueue temporary = "temporary".equals(request.getParameter("replyTo")) ? context.createTemporaryQueue() : null;
            if (temporary != null) {
                producer.setJMSReplyTo(temporary);
            } else if (request.getParameter("replyToQueue") != null) {
                producer.setJMSReplyTo(context.createQueue(request.getParameter("replyToQueue")));
            } else if (request.getParameter("replyTo") != null) {
                producer.setJMSReplyTo(InitialContext.doLookup(request.getParameter("replyTo")));
            }
            if (request.getParameter("correlationId") != null) {
                producer.setJMSCorrelationID(request.getParameter("correlationId"));
            }
            String lastId = null;
            for (int i = 0; i < count; i++) {
                Message message;
                if ("bytes".equals(request.getParameter("kind"))) {
                    BytesMessage bytes = context.createBytesMessage();
                    bytes.writeBytes(body.getBytes(StandardCharsets.UTF_8));
                    message = bytes;
                } else {
                    message = context.createTextMessage(count == 1 ? body : body.replace("{i}", Integer.toString(i)));
                }
                for (var property : request.getParameterMap().entrySet()) {
                    if (property.getKey().startsWith("property.")) {
                        message.setStringProperty(property.getKey().substring("property.".length()), property.getValue()[0]);
                    }
                }
                producer.send(jobs, message);
                lastId = message.getJMSMessageID();
            }
            if (temporary != null) {
                // A temporary queue lives as long as its connection: the reply is awaited on this one.
                try (JMSConsumer consumer = context.createConsumer(temporary)) {
                    answer(response, consumer.receive(timeout(request)));
                }
                return;
            }
            response.setContentType("text/plain");
            response.getWriter().print(lastId);
        } catch (JMSRuntimeException | JMSException e) {
            refused(response, e);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String selector = request.getParameter("correlationId") == null ? null
                : "JMSCorrelationID = '" + request.getParameter("correlationId").replace("'", "''") + "'";
        try (JMSContext context = context(request)) {
            Queue queue = InitialContext.doLookup(request.getParameter("queue"));
            if (request.getPathInfo().endsWith("/depth")) {
                try (QueueBrowser browser = context.createBrowser(queue, selector)) {
                    response.getWriter().print(Collections.list(browser.getEnumeration()).size());
                }
                return;
            }
            try (JMSConsumer consumer = context.createConsumer(queue, selector)) {
                answer(response, consumer.receive(timeout(request)));
            }
        } catch (JMSRuntimeException | JMSException e) {
            refused(response, e);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static long timeout(HttpServletRequest request) {
        return Long.parseLong(request.getParameter("timeoutMs") == null ? "10000" : request.getParameter("timeoutMs"));
    }

    /** Answers the message as JSON, or 404 if none came. */
    private static void answer(HttpServletResponse response, Message message) throws JMSException, IOException {
        if (message == null) {
            response.sendError(404, "no message");
            return;
        }
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("messageId", message.getJMSMessageID())
                .add("kind", message instanceof TextMessage ? "text" : message instanceof BytesMessage ? "bytes" : "other");
        if (message.getJMSCorrelationID() != null) {
            json.add("correlationId", message.getJMSCorrelationID());
        }
        if (message instanceof TextMessage text && text.getText() != null) {
            json.add("body", text.getText());
        }
        JsonObjectBuilder properties = Json.createObjectBuilder();
        for (Object name : Collections.list(message.getPropertyNames())) {
            Object value = message.getObjectProperty((String) name);
            properties.add((String) name, String.valueOf(value));
        }
        json.add("properties", properties);
        response.setContentType("application/json");
        response.getWriter().print(json.build());
    }

    private JMSContext context(HttpServletRequest request) throws NamingException {
        ConnectionFactory factory = request.getParameter("cf") == null ? connectionFactory : InitialContext.doLookup(request.getParameter("cf"));
        String user = request.getParameter("user");
        return user == null ? factory.createContext() : factory.createContext(user, request.getParameter("password"));
    }

    /** The engine refused the user (CWSIA0009E: authentication) or the action (CWSIA00..E: authorization). */
    private static void refused(HttpServletResponse response, Exception e) throws IOException {
        response.setStatus(403);
        response.setContentType("text/plain");
        response.getWriter().print(e + (e.getCause() != null ? " / " + e.getCause() : ""));
    }
}
