package io.workerrole.jobs.control.notices;

import io.workerrole.api.JobState;
import io.workerrole.jobs.boundary.PipelineStepEnds;
import io.workerrole.jobs.control.JobJson;
import io.workerrole.jobs.control.JobSettings;
import io.workerrole.jobs.control.intake.DeadLetters;
import io.workerrole.jobs.control.intake.JmsDestinations;
import io.workerrole.jobs.control.intake.ReplyRule;
import io.workerrole.jobs.control.store.NoticeStore;
import io.workerrole.jobs.entity.Job;
import io.workerrole.jobs.entity.Notice;
import io.workerrole.jobs.entity.NoticeChannel;
import io.workerrole.platform.AllowedOrigins;
import io.workerrole.platform.Backoff;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.TextMessage;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the caller how a job ended, in every way it asked (the notices of {@link NoticeStore}):
 * a reply message with its correlation id, an HTTP callback, and for a poison job a copy in the
 * dead-letter queue. None may hold up the worker: notices are sent off the job's thread, a
 * failed one is retried with backoff (by the {@link NoticeSweeper} of any server), and a
 * failure to notify never changes the job's recorded state. A callback goes only to an origin in
 * {@code worker.callback.allowedOrigins} as it is when the callback is sent, and never follows a
 * redirect. A callback that could not be delivered is recorded as "could not reach ORIGIN" whatever
 * went wrong (refused, reset, timed out, TLS): what an open port answered would tell it from a
 * closed one; the details are in the server's log, with the job's id. A reply never goes to the
 * worker's own queues unless listed in {@code worker.jms.replyQueues}, nor to a topic
 * ({@link ReplyRule}).
 */
@ApplicationScoped
public class ResultNotifier {

    static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(10);
    /** The wait after a notice's failures: 1 s, doubling, at most 1024 s (ten doublings, about 17 min). */
    static final Backoff BACKOFF = Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(1024));
    private static final Logger LOG = Logger.getLogger(ResultNotifier.class.getName());

    @Resource(lookup = "jms/worker/cf")
    ConnectionFactory connectionFactory;

    @Resource
    ManagedExecutorService executor;

    @Inject
    NoticeStore notices;

    @Inject
    DeadLetters deadLetters;

    @Inject
    Instance<PipelineStepEnds> pipelineSteps;

    @Inject
    JobSettings settings;

    @Inject
    Clock clock;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            // Never follow a redirect: an allowed callback host could send the POST on to any
            // other host (the cloud's metadata address, an internal service). A 3xx is a failure.
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** The job has just ended, its notices recorded with it: sends them now, off the job's thread (its pipeline's on it). */
    public void finished(Job job, JobState state, String result, String error) {
        for (NoticeChannel channel : NoticeChannel.owedBy(job, state)) {
            if (channel == NoticeChannel.PIPELINE) {
                tellPipeline(job);
                continue;
            }
            try {
                executor.execute(() -> {
                    try {
                        notices.fresh(job.id(), channel).ifPresent(notice -> send(notice, job, state, result, error));
                    } catch (SQLException e) {
                        LOG.log(Level.WARNING, tag(job) + "could not take its " + channel + " notice now; it goes out once due", e);
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.info(() -> tag(job) + "the server is stopping: its " + channel + " notice stays owed and goes out once due");
            }
        }
    }

    /**
     * Tells the job's pipeline run on the calling thread (the job's, once its outcome is
     * recorded), without claiming the notice first: the run's move deletes it in its own
     * transaction, and a second telling (the sweeper's, should this one fail) moves the run no
     * further. Not handed to the executor like the other notices: a burst of step ends queued
     * there ahead of the jobs, and the jobs then waited seconds for a thread; on the job's thread
     * the move counts against the server's outcomes in flight, which bound what it claims.
     */
    private void tellPipeline(Job job) {
        try {
            pipelineSteps.get().stepEnded(job.id());
        } catch (Exception e) {
            LOG.log(Level.WARNING, tag(job) + "its pipeline run could not go on now; its notice stays owed and goes out once due", e);
        }
    }

    /** Sends a claimed notice of a job that ended in the state (with the result or the error), and records how it went. */
    public void send(Notice notice, Job job, JobState state, String result, String error) {
        if (notice.channel() == NoticeChannel.CALLBACK) {
            // Checked again now: the admin may have narrowed the list since the job was accepted.
            AllowedOrigins allowed = settings.callbackAllowedOrigins();
            if (!allowed.permits(uriOrNull(job.callbackUrl()))) {
                giveUp(notice, job, allowed);
                return;
            }
        }
        if (notice.channel() == NoticeChannel.REPLY) {
            // Judged again now: the job may have been recorded before replies were judged at intake.
            String refusal = ReplyRule.of(settings).refusalOfKept(job.replyTo());
            if (refusal != null) {
                giveUpReply(notice, job, refusal);
                return;
            }
        }
        CompletableFuture<Void> sending;
        try {
            sending = deliver(notice.channel(), job, state, result, error);
        } catch (Exception e) {
            sending = CompletableFuture.failedFuture(e);
        }
        sending.whenCompleteAsync((sent, failure) -> record(notice, job, failure), executor);
    }

    private CompletableFuture<Void> deliver(NoticeChannel channel, Job job, JobState state, String result, String error) throws Exception {
        switch (channel) {
            case REPLY -> reply(job, JobJson.outcome(job, state, result, error));
            case CALLBACK -> {
                return callback(URI.create(job.callbackUrl()), JobJson.outcome(job, state, result, error).toString());
            }
            case DEAD_LETTER -> deadLetters.sendDead(job, error);
            case PIPELINE -> pipelineSteps.get().stepEnded(job.id());
        }
        return CompletableFuture.completedFuture(null);
    }

    private void reply(Job job, JsonObject outcome) throws Exception {
        try (JMSContext context = connectionFactory.createContext()) {
            TextMessage message = context.createTextMessage(outcome.toString());
            message.setJMSCorrelationID(job.correlationId());
            message.setStringProperty("workerJobId", job.id());
            message.setStringProperty("workerJobState", outcome.getString("state"));
            context.createProducer().send(JmsDestinations.resolve(context, job.replyTo()), message);
        }
    }

    private CompletableFuture<Void> callback(URI url, String body) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(CALLBACK_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new CompletionException(new CallbackAnswered(response.statusCode()));
            }
        });
    }

    /** @return the URL, or null if it is none (it was checked when the job was accepted: not expected) */
    private static URI uriOrNull(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The listener answered, but not with a 2xx: it was reached, so its status may be told. */
    static final class CallbackAnswered extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallbackAnswered(int status) {
            super("HTTP " + status, null, false, false);
        }
    }

    /**
     * @return why a notice failed, as recorded with it: for a callback that was not answered, only
     *         that its origin could not be reached, the same for every cause
     */
    static String failureReason(NoticeChannel channel, String callbackUrl, Throwable cause) {
        if (channel == NoticeChannel.CALLBACK && !(cause instanceof CallbackAnswered)) {
            URI url = uriOrNull(callbackUrl);
            return "could not reach " + (url == null ? "the callback URL" : AllowedOrigins.origin(url));
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** A callback to an origin no longer allowed is not sent, now or later: trying again cannot help. */
    private void giveUp(Notice notice, Job job, AllowedOrigins allowed) {
        String what = tag(job) + describe(notice.channel(), job);
        try {
            notices.done(notice);
            LOG.warning(() -> what + " not sent, given up: its origin is no longer in " + JobSettings.CALLBACK_ALLOWED_ORIGINS + " " + allowed);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, what + " is to an origin no longer allowed: could not give it up now; it is looked at again once its claim lapses", e);
        }
    }

    /** A reply to where the sender may not receive is not sent, now or later: trying again cannot help. */
    private void giveUpReply(Notice notice, Job job, String why) {
        String what = tag(job) + describe(notice.channel(), job);
        try {
            notices.done(notice);
            LOG.warning(() -> what + " not sent, given up: " + why);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, what + " may not be sent (" + why + "): could not give it up now; it is looked at again once its claim lapses", e);
        }
    }

    private void record(Notice notice, Job job, Throwable failure) {
        String what = tag(job) + describe(notice.channel(), job);
        try {
            if (failure == null) {
                notices.done(notice);
                if (notice.attempts() > 0) {
                    LOG.info(() -> what + " sent after " + notice.attempts() + " failed attempt(s)");
                }
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            String why = failureReason(notice.channel(), job.callbackUrl(), cause);
            if (!why.equals(cause.getMessage())) {
                // The details, for the admin only: the recorded reason says no more than "could not reach".
                LOG.info(() -> what + ": " + why + " (" + cause + (cause.getCause() == null ? "" : ", " + cause.getCause()) + ")");
            }
            int failures = notice.attempts() + 1;
            if (failures >= settings.callbackAttempts()) {
                notices.done(notice);
                LOG.severe(() -> what + " failed " + failures + " times, giving up: " + why);
            } else {
                Instant next = clock.instant().plus(BACKOFF.delayAfter(failures));
                notices.retryAt(notice, next, why);
                LOG.warning(() -> what + " failed (" + why + "); trying again at " + next);
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, what + ": could not record how it went; it goes out again once its claim lapses", e);
        }
    }

    private static String describe(NoticeChannel channel, Job job) {
        return switch (channel) {
            case REPLY -> "reply to " + job.replyTo();
            case CALLBACK -> "callback to " + job.callbackUrl();
            case DEAD_LETTER -> "copy to the dead-letter queue";
            case PIPELINE -> "end of a pipeline step";
        };
    }

    private static String tag(Job job) {
        return "[job " + job.id() + " " + job.type() + "] ";
    }
}
