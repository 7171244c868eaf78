package io.workerrole.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker's one JSON-B instance ({@code @Inject Jsonb}): thread-safe, costly to create, and
 * to be closed, which it is when the application stops.
 */
@ApplicationScoped
public class JsonbProducer {

    private static final Logger LOG = Logger.getLogger(JsonbProducer.class.getName());

    @Produces
    @ApplicationScoped
    Jsonb jsonb() {
        return JsonbBuilder.create();
    }

    void close(@Disposes Jsonb jsonb) {
        try {
            jsonb.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Closing JSON-B failed", e);
        }
    }
}
