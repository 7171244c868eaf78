package io.workerrole.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the job type a {@link JobHandler} bean handles: the {@code "type"} of job messages and
 * {@code POST /api/jobs} requests. One handler per type.
 *
 * <pre>{@code
 * @ApplicationScoped
 * @JobType("thumbnail")
 * public class ThumbnailJob implements JobHandler { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface JobType {

    /** @return the type name: letters, digits, '.', '_' and '-', at most 100 characters */
    String value();
}
