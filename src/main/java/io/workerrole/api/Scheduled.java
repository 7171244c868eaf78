package io.workerrole.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a schedule that starts jobs of the annotated {@link JobHandler}'s type. Exactly one of
 * {@link #cron()}, {@link #every()}, {@link #delay()}, {@link #at()} or {@link #after()} is set.
 * The schedule is stored when the worker starts (and removed when its declaration goes), so it
 * shows in {@code /api/schedules} with its history; admins can pause and resume it there.
 *
 * <pre>{@code
 * @ApplicationScoped
 * @JobType("report")
 * @Scheduled(name = "nightly-report", cron = "0 30 2 * * *", zone = "Europe/Paris")
 * public class ReportJob implements JobHandler { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Scheduled.List.class)
public @interface Scheduled {

    /** @return the schedule's name, unique among all schedules: letters, digits, '.', '_', '-' */
    String name();

    /**
     * @return a cron expression of Jakarta Concurrency's {@code CronTrigger}: 6 fields
     *         ({@code seconds minutes hours dayOfMonth month dayOfWeek}) or 5 (no seconds)
     */
    String cron() default "";

    /** @return the time zone of {@link #cron()}, such as {@code Europe/Paris}; empty for the server's */
    String zone() default "";

    /** @return fixed rate: an ISO-8601 duration between firings, such as {@code PT5M} */
    String every() default "";

    /** @return fixed delay: an ISO-8601 duration from the end of one run to the next firing */
    String delay() default "";

    /** @return one run at this ISO-8601 instant, such as {@code 2027-01-01T00:00:00Z} */
    String at() default "";

    /** @return one run this ISO-8601 duration after the schedule is first stored */
    String after() default "";

    /** @return the jobs' payload, as JSON text */
    String payload() default "null";

    /** @return the jobs' priority, 0 (lowest) to 9 */
    int priority() default 4;

    /** @return true to run once per firing across all servers sharing the store; false for every server */
    boolean singleton() default true;

    /** @return what to do about firings missed while no server ran */
    MissedFirings missed() default MissedFirings.RUN_ONCE;

    /** Holds several {@link Scheduled} declarations on one handler. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        Scheduled[] value();
    }
}
