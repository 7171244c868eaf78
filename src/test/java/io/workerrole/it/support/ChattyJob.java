package io.workerrole.it.support;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;

import java.time.Duration;

/**
 * A job type only JobLogsIT deploys: logs {@code lines} numbered lines through its JobLog each
 * attempt; fails its first {@code failTimes} attempts with an error line; with {@code hold},
 * waits after its lines until it is cancelled (at most a minute).
 */
@ApplicationScoped
@JobType("chatty")
public class ChattyJob implements JobHandler {

    @Override
    public Object handle(JobContext job) throws InterruptedException {
        JsonObject payload = job.payload() instanceof JsonObject object ? object : JsonObject.EMPTY_JSON_OBJECT;
        for (int i = 0; i < payload.getInt("lines", 0); i++) {
            job.log().info("line " + i);
        }
        if (job.attempt() <= payload.getInt("failTimes", 0)) {
            IllegalStateException failure = new IllegalStateException("attempt " + job.attempt() + " fails as asked");
            job.log().error("giving up this attempt", failure);
            throw failure;
        }
        if (payload.getBoolean("hold", false)) {
            job.log().warning("holding until cancelled");
            job.awaitCancellation(Duration.ofMinutes(1));
        }
        return job.attempt();
    }
}
