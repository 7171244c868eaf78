package io.workerrole.it.support;

import io.workerrole.platform.security.Roles;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every call of the worker's HTTP API, with the role it needs and how to make a valid one. The
 * unit test {@code RestRolesTest} holds this list to the REST resources (a method missing here,
 * or needing another role, fails it), and the role matrices ({@link RoleMatrix}) walk it.
 */
public enum ApiEndpoint {

    SUBMIT_JOB("POST", "/api/jobs", Roles.SUBMITTER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.submit("{\"type\": \"echo\", \"payload\": \"matrix\", \"idempotencyKey\": \"" + fixture.submissionKey() + "\"}");
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            boolean recorded = admin.get("/api/jobs?type=echo&limit=50").json().getJsonArray("jobs").stream()
                    .anyMatch(job -> fixture.submissionKey().equals(job.asJsonObject().getString("idempotencyKey", null)));
            return recorded ? "recorded" : "absent";
        }
    },
    GET_JOB("GET", "/api/jobs/{id}", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/jobs/" + fixture.deadJobId());
        }
    },
    GET_JOB_LOG("GET", "/api/jobs/{id}/log", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/jobs/" + fixture.deadJobId() + "/log");
        }
    },
    LIST_DEAD_GROUPS("GET", "/api/jobs/dead-groups", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/jobs/dead-groups?limit=5");
        }
    },
    LIST_JOBS("GET", "/api/jobs", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/jobs?state=DEAD&limit=5");
        }
    },
    REQUEUE_JOB("POST", "/api/jobs/{id}/requeue", Roles.OPERATOR) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.post("/api/jobs/" + fixture.deadJobId() + "/requeue", "application/json", new byte[0]);
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return admin.job(fixture.deadJobId()).getString("state");
        }
    },
    CANCEL_JOB("POST", "/api/jobs/{id}/cancel", Roles.OPERATOR) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.post("/api/jobs/" + fixture.scheduledJobId() + "/cancel", "application/json", new byte[0]);
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return admin.job(fixture.scheduledJobId()).getString("state");
        }
    },
    REQUEUE_DEAD("POST", "/api/jobs/requeue", Roles.OPERATOR) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            // A type with no dead jobs: the call is valid and leaves other tests' dead jobs alone
            return api.post("/api/jobs/requeue?type=" + fixture.quietType(), "application/json", new byte[0]);
        }
    },
    LIST_SCHEDULES("GET", "/api/schedules", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/schedules?limit=5");
        }
    },
    CREATE_SCHEDULE("POST", "/api/schedules", Roles.ADMIN) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.post("/api/schedules", "application/json", fixture.scheduleJson(fixture.newScheduleName()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return Integer.toString(admin.get("/api/schedules/" + fixture.newScheduleName()).status());
        }
    },
    GET_SCHEDULE("GET", "/api/schedules/{name}", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/schedules/" + fixture.scheduleName());
        }
    },
    PUT_SCHEDULE("PUT", "/api/schedules/{name}", Roles.ADMIN) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.put("/api/schedules/" + fixture.scheduleName(), fixture.scheduleJson(fixture.scheduleName()).replace("\"n\": 1", "\"n\": 2"));
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return admin.get("/api/schedules/" + fixture.scheduleName()).json().get("payload").toString();
        }
    },
    DELETE_SCHEDULE("DELETE", "/api/schedules/{name}", Roles.ADMIN) {
        @Override
        public void prepare(Api admin, Fixture fixture) {
            new Schedules(admin).create(fixture.scheduleJson(fixture.doomedScheduleName()));
        }

        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.delete("/api/schedules/" + fixture.doomedScheduleName());
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return Integer.toString(admin.get("/api/schedules/" + fixture.doomedScheduleName()).status());
        }
    },
    PAUSE_SCHEDULE("POST", "/api/schedules/{name}/pause", Roles.OPERATOR) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.post("/api/schedules/" + fixture.scheduleName() + "/pause", "application/json", new byte[0]);
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return paused(admin, fixture);
        }
    },
    RESUME_SCHEDULE("POST", "/api/schedules/{name}/resume", Roles.OPERATOR) {
        @Override
        public void prepare(Api admin, Fixture fixture) {
            new Schedules(admin).pause(fixture.scheduleName());
        }

        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.post("/api/schedules/" + fixture.scheduleName() + "/resume", "application/json", new byte[0]);
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return paused(admin, fixture);
        }
    },
    RUN_SCHEDULE("POST", "/api/schedules/{name}/run", Roles.OPERATOR) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.post("/api/schedules/" + fixture.scheduleName() + "/run", "application/json", new byte[0]);
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return Integer.toString(admin.get("/api/schedules/" + fixture.scheduleName() + "/firings").json().getJsonArray("firings").size());
        }
    },
    SCHEDULE_FIRINGS("GET", "/api/schedules/{name}/firings", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/schedules/" + fixture.scheduleName() + "/firings");
        }
    },
    LIST_PIPELINES("GET", "/api/pipelines", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/pipelines");
        }
    },
    GET_PIPELINE("GET", "/api/pipelines/{name}", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/pipelines/" + fixture.pipelineName());
        }
    },
    PUT_PIPELINE("PUT", "/api/pipelines/{name}", Roles.ADMIN) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.put("/api/pipelines/" + fixture.pipelineName(), fixture.pipelineJson(7));
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return admin.get("/api/pipelines/" + fixture.pipelineName()).json().getJsonArray("steps").toString();
        }
    },
    DELETE_PIPELINE("DELETE", "/api/pipelines/{name}", Roles.ADMIN) {
        @Override
        public void prepare(Api admin, Fixture fixture) {
            admin.put("/api/pipelines/" + fixture.doomedPipelineName(), fixture.pipelineJson(4));
        }

        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.delete("/api/pipelines/" + fixture.doomedPipelineName());
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return Integer.toString(admin.get("/api/pipelines/" + fixture.doomedPipelineName()).status());
        }
    },
    START_RUN("POST", "/api/pipelines/{name}/runs", Roles.SUBMITTER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.post("/api/pipelines/" + fixture.pipelineName() + "/runs", "application/json",
                    ("{\"payload\": {\"ms\": 0}, \"idempotencyKey\": \"" + fixture.submissionKey() + "\"}").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return Long.toString(admin.get("/api/pipelines/runs?pipeline=" + fixture.pipelineName()).json().getJsonArray("runs").size());
        }
    },
    LIST_RUNS("GET", "/api/pipelines/runs", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/pipelines/runs?limit=5");
        }
    },
    GET_RUN("GET", "/api/pipelines/runs/{id}", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/pipelines/runs/" + fixture.runId());
        }
    },
    CANCEL_RUN("POST", "/api/pipelines/runs/{id}/cancel", Roles.OPERATOR) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.post("/api/pipelines/runs/" + fixture.runId() + "/cancel", "application/json", new byte[0]);
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            JsonObject run = admin.get("/api/pipelines/runs/" + fixture.runId()).json();
            return run.getString("state") + " " + run.getBoolean("cancelRequested");
        }
    },
    LIST_SCRIPTS("GET", "/api/scripts", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/scripts");
        }
    },
    GET_SCRIPT("GET", "/api/scripts/{name}", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/scripts/" + fixture.scriptName());
        }
    },
    RUN_SCRIPT("POST", "/api/scripts/{name}/run", Roles.OPERATOR) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.post("/api/scripts/" + fixture.scriptName() + "/run", "application/json", new byte[0]);
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return Integer.toString(admin.allJobs("script:" + fixture.scriptName()).size());
        }
    },
    LIST_SCRIPT_RUNS("GET", "/api/scripts/{name}/runs", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/scripts/" + fixture.scriptName() + "/runs?limit=5");
        }
    },
    GET_SCRIPT_RUN("GET", "/api/scripts/{name}/runs/{runId}", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/scripts/" + fixture.scriptName() + "/runs/" + fixture.scriptRunId());
        }
    },
    GET_SCRIPT_RUN_LOG("GET", "/api/scripts/{name}/runs/{runId}/log", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/scripts/" + fixture.scriptName() + "/runs/" + fixture.scriptRunId() + "/log");
        }
    },
    LIST_SERVERS("GET", "/api/servers", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/servers?limit=5");
        }
    },
    OVERVIEW("GET", "/api/overview", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/overview");
        }
    },
    CALLER("GET", "/api/me", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/me");
        }
    },
    ROLE("GET", "/api/role", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/role");
        }
    },
    GET_FLEET_FREEZE("GET", "/api/fleet/freeze", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/fleet/freeze");
        }
    },
    PUT_FLEET_FREEZE("PUT", "/api/fleet/freeze", Roles.OPERATOR) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            // A type no job has, for a minute: the shared server's other work is never held.
            return api.put("/api/fleet/freeze", "{\"types\": [\"" + fixture.heldType() + "\"], \"until\": \""
                    + java.time.Instant.now().plusSeconds(60) + "\", \"reason\": \"role matrix\"}");
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return heldTypes(admin);
        }
    },
    LIFT_FLEET_FREEZE("DELETE", "/api/fleet/freeze", Roles.OPERATOR) {
        @Override
        public void prepare(Api admin, Fixture fixture) {
            assertEquals(200, admin.put("/api/fleet/freeze", "{\"types\": [\"" + fixture.heldType() + "\"]}").status());
        }

        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.delete("/api/fleet/freeze?type=" + fixture.heldType());
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return heldTypes(admin);
        }
    },
    GET_FLEET_LIMITS("GET", "/api/fleet/limits", Roles.VIEWER) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.get("/api/fleet/limits");
        }
    },
    PUT_FLEET_LIMIT("PUT", "/api/fleet/limits/{type}", Roles.ADMIN) {
        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            // A type no job has: the shared server's other work is never limited.
            return api.put("/api/fleet/limits/" + fixture.limitedType(), "{\"concurrency\": 3, \"perSecond\": 0.5}");
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return limitedTypes(admin);
        }
    },
    REMOVE_FLEET_LIMIT("DELETE", "/api/fleet/limits/{type}", Roles.ADMIN) {
        @Override
        public void prepare(Api admin, Fixture fixture) {
            assertEquals(200, admin.put("/api/fleet/limits/" + fixture.limitedType(), "{\"concurrency\": 2}").status());
        }

        @Override
        public Api.Answer call(Api api, Fixture fixture) {
            return api.delete("/api/fleet/limits/" + fixture.limitedType());
        }

        @Override
        public String observe(Api admin, Fixture fixture) {
            return limitedTypes(admin);
        }
    };

    private static String limitedTypes(Api admin) {
        return admin.get("/api/fleet/limits").json().getJsonArray("types").toString();
    }

    private static String heldTypes(Api admin) {
        return admin.get("/api/fleet/freeze").json().getJsonArray("types").toString();
    }

    private final String method;
    private final String path;
    private final String role;

    ApiEndpoint(String method, String path, String role) {
        this.method = method;
        this.path = path;
        this.role = role;
    }

    /** @return the HTTP method */
    public String method() {
        return method;
    }

    /** @return the path template, as the resources declare it under /api */
    public String path() {
        return path;
    }

    /** @return the one role the call needs */
    public String role() {
        return role;
    }

    private static String paused(Api admin, Fixture fixture) {
        return Boolean.toString(admin.get("/api/schedules/" + fixture.scheduleName()).json().getBoolean("paused"));
    }

    /** Makes a valid call (one that answers 2xx for a caller in the role). */
    public abstract Api.Answer call(Api api, Fixture fixture);

    /** Sets up what a valid call needs, as an admin, just before the caller in the role makes it. */
    public void prepare(Api admin, Fixture fixture) {
    }

    /** @return what the call would change, as an admin reads it: the same before and after a refused call */
    public String observe(Api admin, Fixture fixture) {
        return "";
    }

    /**
     * What the calls work on, made by {@link #create}: a job that is DEAD, and a schedule that
     * fires once a year (so it stays as it is while the test runs).
     *
     * @param run this run's suffix, so that names never collide with an earlier run's on the same database
     */
    /**
     * @param scheduledJobId a job that waits a day (to be cancelled)
     * @param runId a run of the fixture's pipeline whose one step sleeps ten minutes (to be cancelled)
     */
    public record Fixture(String deadJobId, String run, String scheduledJobId, String runId, String scriptRunId) {

        /**
         * Submits a job that dies, waits for its death, submits a job for tomorrow, creates the
         * schedule and the pipeline run, and drops a script into the server's scripts folder and
         * runs it once.
         *
         * @param serverDir the folder of the server {@code admin} calls
         */
        public static Fixture create(Api admin, Path serverDir) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            String id = admin.submit("{\"type\": \"fail\", \"payload\": {\"message\": \"dead on purpose\"}}").json().getString("id");
            admin.awaitState(id, "DEAD", Duration.ofSeconds(60));
            String tomorrow = admin.submit("{\"type\": \"echo\", \"delay\": \"P1D\"}").json().getString("id");
            Fixture partial = new Fixture(id, run, tomorrow, null, null);
            String pipeline = partial.pipelineName();
            assertEquals(201, admin.put("/api/pipelines/" + pipeline, partial.pipelineJson(4)).status());
            Api.Answer started = admin.post("/api/pipelines/" + pipeline + "/runs", "application/json",
                    "{\"payload\": {\"ms\": 600000}}".getBytes(StandardCharsets.UTF_8));
            assertEquals(201, started.status(), started.body());
            new Schedules(admin).create(partial.scheduleJson(partial.scheduleName()));
            return new Fixture(id, run, tomorrow, started.json().getString("id"), runScript(admin, serverDir, partial.scriptName()));
        }

        /** @return the run id of the script's first run */
        private static String runScript(Api admin, Path serverDir, String name) {
            try {
                Path staging = Files.createDirectories(serverDir.resolve("jobs-staging").resolve(name));
                Files.writeString(staging.resolve("run.sh"), "echo matrix\n");
                Files.move(staging, Files.createDirectories(serverDir.resolve("jobs/triggered")).resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/api/scripts/" + name).status() == 200);
            Api.Answer ran = admin.post("/api/scripts/" + name + "/run", "application/json", new byte[0]);
            assertEquals(202, ran.status(), ran.body());
            return admin.awaitState(ran.json().getString("id"), "SUCCEEDED", Duration.ofSeconds(60)).getJsonObject("result").getString("runId");
        }

        public String scriptName() {
            return "matrix-" + run;
        }

        public String scheduleName() {
            return "matrix-" + run;
        }

        public String newScheduleName() {
            return "matrix-new-" + run;
        }

        public String doomedScheduleName() {
            return "matrix-doomed-" + run;
        }

        public String pipelineName() {
            return "matrix-" + run;
        }

        public String doomedPipelineName() {
            return "matrix-doomed-" + run;
        }

        /** A pipeline of one sleep step, with this priority. */
        public String pipelineJson(int priority) {
            return "{\"steps\": [{\"type\": \"sleep\", \"priority\": " + priority + "}]}";
        }

        public String submissionKey() {
            return "matrix-" + run;
        }

        /** A job type nobody else submits, so it has no dead jobs: {@code echo} never dies. */
        public String quietType() {
            return "echo";
        }

        /** @return a job type no job has: the one the fleet-freeze calls hold */
        public String heldType() {
            return "matrix-held-" + run;
        }

        /** A type no job has, to limit across the fleet. */
        public String limitedType() {
            return "matrix-limited-" + run;
        }

        public String scheduleJson(String name) {
            return "{\"name\": \"" + name + "\", \"cron\": \"0 0 0 1 1 *\", \"zone\": \"UTC\", \"type\": \"echo\", \"payload\": {\"n\": 1}}";
        }
    }
}
