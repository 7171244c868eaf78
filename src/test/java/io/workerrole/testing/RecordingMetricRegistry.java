package io.workerrole.testing;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * For tests of gauges: a metric registry that records the gauges registered, each under
 * "name{tag=value}", refuses anything else, and throws on a second registration of one gauge as a
 * real registry would.
 */
public final class RecordingMetricRegistry {

    private final Map<String, Supplier<?>> gauges = new TreeMap<>();

    /** @return the registry to hand to the code under test */
    public MetricRegistry registry() {
        return (MetricRegistry) Proxy.newProxyInstance(RecordingMetricRegistry.class.getClassLoader(), new Class<?>[] {MetricRegistry.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("gauge") && args.length == 3 && args[0] instanceof Metadata metadata
                            && args[1] instanceof Supplier<?> supplier) {
                        StringBuilder key = new StringBuilder(metadata.getName()).append('{');
                        for (Tag tag : (Tag[]) args[2]) {
                            key.append(tag.getTagName()).append('=').append(tag.getTagValue());
                        }
                        if (gauges.put(key.append('}').toString(), supplier) != null) {
                            throw new IllegalArgumentException("registered twice: " + key);
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.toString());
                });
    }

    /** @return the gauges registered, as "name{tag=value}" */
    public Set<String> names() {
        return gauges.keySet();
    }

    /** @return what the gauge reads now */
    public double value(String gauge) {
        return ((Number) gauges.get(gauge).get()).doubleValue();
    }

    /** @return what every gauge reads now, by name */
    public Map<String, Double> values() {
        Map<String, Double> values = new TreeMap<>();
        gauges.keySet().forEach(name -> values.put(name, value(name)));
        return values;
    }
}
