package io.workerrole.testing;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Supplier;

/** For tests of gauges: a metric registry that records what is registered, and refuses anything else. */
public final class RecordingMetricRegistry {

    private RecordingMetricRegistry() {
    }

    /**
     * @param into where each gauge's supplier goes, under "name{tag=value}"
     * @return a registry whose {@code gauge(Metadata, Supplier, Tag...)} records the supplier, and
     *         throws on a second registration of one name and tags, as a real registry would
     */
    public static MetricRegistry into(Map<String, Supplier<?>> into) {
        return (MetricRegistry) Proxy.newProxyInstance(RecordingMetricRegistry.class.getClassLoader(), new Class<?>[] {MetricRegistry.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("gauge") && args.length == 3 && args[0] instanceof Metadata metadata
                            && args[1] instanceof Supplier<?> supplier) {
                        StringBuilder key = new StringBuilder(metadata.getName()).append('{');
                        for (Tag tag : (Tag[]) args[2]) {
                            key.append(tag.getTagName()).append('=').append(tag.getTagValue());
                        }
                        if (into.put(key.append('}').toString(), supplier) != null) {
                            throw new IllegalArgumentException("registered twice: " + key);
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.toString());
                });
    }
}
