package io.workerrole;

import io.workerrole.jobs.boundary.TypeGauges;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes manifests of {@code docs/kubernetes/} (docs/kubernetes.md) are written for a
 * cluster this machine does not have, so they are read here against what they stand on: the
 * ports of {@code server-config/server.xml}'s endpoint, the health checks' paths, the server.xml
 * variables that their environment variables set (Liberty's rule: a variable's name in capitals,
 * every character but letters and digits an underscore, and only for a variable with a
 * {@code defaultValue}), the stopping wait a pod's grace period must outlast, the Secret their keys
 * come from, and the metrics the KEDA ScaledObjects query, with thresholds that are one server's
 * concurrency for the types they count.
 */
class KubernetesManifestsTest {

    private static final Path MANIFESTS = Path.of("docs/kubernetes");
    private static final Path SERVER_CONFIG = Path.of("server-config");

    /** Environment variables that are no server.xml variable, with what reads them. */
    private static final Map<String, String> LAUNCHER_VARIABLES = Map.of(
            "JVM_ARGS", "Liberty's server script: the server JVM's options, and Java system properties, which also set bootstrap properties",
            "WLP_JAR_EXTRACT_ROOT", "the runnable JAR: where it extracts itself");

    /** A {@code -Dname=value} of JVM_ARGS. */
    private static final Pattern SYSTEM_PROPERTY = Pattern.compile("-D([^=\\s]+)=(\\S+)");
    /** A metric selector of a PromQL query: {@code job_type_queued{...}}. */
    private static final Pattern METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");
    private static final Pattern TYPE_MATCHER = Pattern.compile("type\\s*(=|!=)\\s*\"([^\"]*)\"");
    private static final Set<String> HEALTH_PATHS = Set.of("/health/started", "/health/ready", "/health/live");

    /** A server.xml variable: its value as written, and whether it is a default (which an environment variable overrides). */
    record Variable(String value, boolean isDefault, String file) {
    }

    private static Map<Path, List<Map<String, Object>>> files;
    private static Map<String, Variable> variables;
    private static Properties bootstrap;
    private static Document serverXml;

    @BeforeAll
    static void read() throws Exception {
        files = new TreeMap<>();
        try (Stream<Path> yaml = Files.list(MANIFESTS)) {
            for (Path file : yaml.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    List<Map<String, Object>> documents = new ArrayList<>();
                    new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader).forEach(d -> documents.add(map(d)));
                    files.put(file, documents);
                }
            }
        }
        variables = new TreeMap<>();
        try (Stream<Path> xml = Files.walk(SERVER_CONFIG)) {
            for (Path file : xml.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
                NodeList nodes = document.getElementsByTagName("variable");
                for (int i = 0; i < nodes.getLength(); i++) {
                    Element variable = (Element) nodes.item(i);
                    boolean isDefault = !variable.hasAttribute("value");
                    variables.put(variable.getAttribute("name"), new Variable(
                            isDefault ? variable.getAttribute("defaultValue") : variable.getAttribute("value"), isDefault, file.toString()));
                }
            }
        }
        bootstrap = new Properties();
        try (Reader reader = Files.newBufferedReader(SERVER_CONFIG.resolve("bootstrap.properties"), StandardCharsets.UTF_8)) {
            bootstrap.load(reader);
        }
        serverXml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(SERVER_CONFIG.resolve("server.xml").toFile());
    }

    @Test
    void readsTwoRolesEachWithADeploymentAndAScaledObject() {
        // Guards the reading itself: with nothing read, every other check would pass empty.
        assertEquals(List.of("worker-images", "worker-light"), deployments().stream().map(KubernetesManifestsTest::name).toList());
        assertEquals(2, resources("ScaledObject").size());
        assertEquals(1, resources("Secret").size());
        assertTrue(variables.containsKey("default.http.port") && variables.containsKey("worker.stoppingWaitTime"), variables.keySet().toString());
    }

    @Test
    void everyManifestIsInTheKustomization() throws IOException {
        List<Map<String, Object>> kustomizations = resources("Kustomization");
        assertEquals(1, kustomizations.size());
        Set<String> listed = new TreeSet<>(strings(kustomizations.get(0).get("resources")));
        Set<String> present = files.keySet().stream().map(f -> f.getFileName().toString())
                .filter(f -> !f.equals("kustomization.yaml")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(present, listed, "kubectl apply -k applies what kustomization.yaml lists");
    }

    @Test
    void theContainersListenOnTheServersEndpointPorts() throws IOException {
        Element endpoint = (Element) serverXml.getElementsByTagName("httpEndpoint").item(0);
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : deployments()) {
            Map<String, Object> container = container(deployment);
            Map<String, Integer> ports = containerPorts(container);
            int http = Integer.parseInt(effective(container, variableIn(endpoint.getAttribute("httpPort"))));
            int https = Integer.parseInt(effective(container, variableIn(endpoint.getAttribute("httpsPort"))));
            if (!Integer.valueOf(http).equals(ports.get("http")) || !Integer.valueOf(https).equals(ports.get("https"))) {
                problems.add(name(deployment) + ": ports " + ports + " but the server listens on http " + http + ", https " + https);
            }
        }
        String dockerfile = Files.readString(MANIFESTS.resolve("Dockerfile"));
        Matcher expose = Pattern.compile("(?m)^EXPOSE\\s+(.+)$").matcher(dockerfile);
        assertTrue(expose.find(), "the Dockerfile exposes the ports");
        String exposed = expose.group(1).trim();
        String declared = effective(Map.of(), "default.http.port") + " " + effective(Map.of(), "default.https.port");
        if (!exposed.equals(declared)) {
            problems.add("Dockerfile: EXPOSE " + exposed + " but server.xml's ports are " + declared);
        }
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void theServiceReachesEveryRolesPodsOnTheirNamedPorts() {
        List<Map<String, Object>> services = resources("Service");
        assertEquals(1, services.size());
        Map<String, Object> service = services.get(0);
        Map<String, Object> selector = map(map(service.get("spec")).get("selector"));
        for (Map<String, Object> deployment : deployments()) {
            Map<String, Object> labels = map(map(map(map(deployment.get("spec")).get("template")).get("metadata")).get("labels"));
            assertTrue(labels.entrySet().containsAll(selector.entrySet()), name(deployment) + "'s pods " + labels + " are not selected by " + selector);
            Set<String> named = containerPorts(container(deployment)).keySet();
            for (Object port : (List<?>) map(service.get("spec")).get("ports")) {
                Object target = map(port).get("targetPort");
                assertTrue(named.contains(String.valueOf(target)), "the Service's targetPort " + target + " is no port of " + name(deployment));
            }
        }
    }

    @Test
    void theProbesAskTheHealthChecksOnThePlainHttpPort() {
        assertTrue(features().stream().anyMatch(f -> f.startsWith("mpHealth-")), "server.xml has mpHealth: " + features());
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : deployments()) {
            Map<String, Object> container = container(deployment);
            Map<String, String> expected = Map.of("livenessProbe", "/health/live", "readinessProbe", "/health/ready", "startupProbe", "/health/started");
            expected.forEach((probe, path) -> {
                Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
                if (!path.equals(get.get("path")) || !HEALTH_PATHS.contains(path)) {
                    problems.add(name(deployment) + "'s " + probe + " asks " + get.get("path") + ", not " + path);
                }
                if (!Integer.valueOf(Integer.parseInt(effective(container, "default.http.port"))).equals(port(container, get.get("port")))) {
                    problems.add(name(deployment) + "'s " + probe + " asks port " + get.get("port") + ", not the HTTP port (health is open there)");
                }
            });
        }
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void everyEnvironmentVariableSetsAServerConfigVariableThatMayBeSetSo() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : deployments()) {
            for (Map.Entry<String, Object> env : environment(container(deployment)).entrySet()) {
                String name = env.getKey();
                if (LAUNCHER_VARIABLES.containsKey(name)) {
                    continue;
                }
                Optional<String> variable = variableOf(name);
                if (variable.isEmpty()) {
                    problems.add(name(deployment) + ": " + name + " sets no variable of server-config/ (Liberty looks a variable"
                            + " a.b.c up as a.b.c, a_b_c and A_B_C)");
                } else if (variables.containsKey(variable.get()) && !variables.get(variable.get()).isDefault()) {
                    problems.add(name(deployment) + ": " + name + " cannot set " + variable.get() + ", a 'value' in "
                            + variables.get(variable.get()).file() + " (only a defaultValue gives way to the environment)");
                }
            }
            String jvmArgs = String.valueOf(environment(container(deployment)).getOrDefault("JVM_ARGS", ""));
            Matcher property = SYSTEM_PROPERTY.matcher(jvmArgs);
            while (property.find()) {
                String name = property.group(1);
                if (!bootstrap.containsKey(name) && !variables.containsKey(name)) {
                    problems.add(name(deployment) + ": JVM_ARGS sets " + name + ", which is neither a bootstrap property nor a variable");
                }
                if (name.equals("worker.messaging") && !Files.exists(SERVER_CONFIG.resolve("broker/" + property.group(2) + ".xml"))) {
                    problems.add(name(deployment) + ": worker.messaging=" + property.group(2) + " names no broker file in server-config/broker/");
                }
            }
        }
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void everySecretKeyTheManifestsUseIsInTheSecret() {
        Map<String, Set<String>> secrets = new TreeMap<>();
        for (Map<String, Object> secret : resources("Secret")) {
            Set<String> keys = new TreeSet<>();
            Stream.of("data", "stringData").map(secret::get).filter(m -> m != null).forEach(data -> keys.addAll(map(data).keySet()));
            secrets.put(name(secret), keys);
        }
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> document : all()) {
            collectSecretReferences(document, (secret, key) -> {
                if (!secrets.getOrDefault(secret, Set.of()).contains(key)) {
                    problems.add(kind(document) + " " + name(document) + " reads key " + key + " of Secret " + secret + ", which has "
                            + secrets.getOrDefault(secret, Set.of()));
                }
            });
        }
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void aPodsGracePeriodOutlastsTheStoppingWaitTime() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : deployments()) {
            Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
            Object grace = pod.get("terminationGracePeriodSeconds");
            Duration stoppingWait = Duration.parse(effective(container(deployment), "worker.stoppingWaitTime"));
            if (!(grace instanceof Integer seconds) || Duration.ofSeconds(seconds).compareTo(stoppingWait) < 0) {
                problems.add(name(deployment) + ": terminationGracePeriodSeconds " + grace + " < worker.stoppingWaitTime " + stoppingWait
                        + ": the pod would be killed while its jobs still had time to finish");
            }
        }
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void theScaledObjectsScaleTheRolesOnTheWorkersMetricsByOneServersConcurrency() {
        Map<String, Map<String, Object>> deployments = deployments().stream()
                .collect(Collectors.toMap(KubernetesManifestsTest::name, d -> d, (a, b) -> a, LinkedHashMap::new));
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> scaled : resources("ScaledObject")) {
            String target = String.valueOf(map(map(scaled.get("spec")).get("scaleTargetRef")).get("name"));
            Map<String, Object> deployment = deployments.get(target);
            if (deployment == null) {
                problems.add(name(scaled) + " scales " + target + ", which is no Deployment here");
                continue;
            }
            for (Object trigger : (List<?>) map(scaled.get("spec")).get("triggers")) {
                Map<String, Object> metadata = map(map(trigger).get("metadata"));
                String query = String.valueOf(metadata.get("query"));
                Matcher metric = METRIC.matcher(query);
                int metrics = 0;
                while (metric.find()) {
                    metrics++;
                    if (!TypeGauges.prometheusNames().contains(metric.group(1))) {
                        problems.add(name(scaled) + " queries " + metric.group(1) + ", which the worker does not register: "
                                + TypeGauges.prometheusNames());
                    }
                }
                if (metrics == 0) {
                    problems.add(name(scaled) + "'s query names no metric with a selector: " + query);
                }
                String concurrency = concurrencyOf(container(deployment), query);
                if (!String.valueOf(metadata.get("threshold")).equals(concurrency)) {
                    problems.add(name(scaled) + ": threshold " + metadata.get("threshold") + " but one server of " + target
                            + " runs " + concurrency + " of these jobs at once");
                }
            }
        }
        assertEquals("", String.join("\n", problems));
    }

    // ---------------------------------------------------------------- what the manifests say

    private static List<Map<String, Object>> all() {
        return files.values().stream().flatMap(List::stream).filter(d -> d != null).toList();
    }

    private static List<Map<String, Object>> resources(String kind) {
        return all().stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static List<Map<String, Object>> deployments() {
        return resources("Deployment");
    }

    private static String kind(Map<String, Object> resource) {
        return String.valueOf(resource.get("kind"));
    }

    private static String name(Map<String, Object> resource) {
        return String.valueOf(map(resource.get("metadata")).get("name"));
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<?> containers = (List<?>) map(map(map(deployment.get("spec")).get("template")).get("spec")).get("containers");
        assertEquals(1, containers.size(), name(deployment) + " runs one container, the worker");
        return map(containers.get(0));
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new TreeMap<>();
        for (Object port : (List<?>) container.get("ports")) {
            ports.put(String.valueOf(map(port).get("name")), (Integer) map(port).get("containerPort"));
        }
        return ports;
    }

    /** @return the port number a probe's port (a name or a number) stands for */
    private static Integer port(Map<String, Object> container, Object port) {
        return port instanceof Integer number ? number : containerPorts(container).get(String.valueOf(port));
    }

    /** @return the container's environment variables with their values ({@code valueFrom} ones as their reference) */
    private static Map<String, Object> environment(Map<String, Object> container) {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Object variable : (List<?>) container.getOrDefault("env", List.of())) {
            Map<String, Object> entry = map(variable);
            env.put(String.valueOf(entry.get("name")), entry.containsKey("value") ? entry.get("value") : entry.get("valueFrom"));
        }
        return env;
    }

    /** @return a variable's value for this container: its environment variable's when it sets one, else server-config's */
    private static String effective(Map<String, Object> container, String variable) {
        Map<String, Object> env = container.isEmpty() ? Map.of() : environment(container);
        for (String name : candidates(variable)) {
            if (env.get(name) instanceof String value) {
                return value;
            }
        }
        Variable declared = variables.get(variable);
        assertTrue(declared != null, variable + " is not declared in server-config/");
        return declared.value();
    }

    /** @return how many jobs of the types a query counts one server of the container runs at once */
    private static String concurrencyOf(Map<String, Object> container, String query) {
        Set<String> operators = new TreeSet<>();
        Set<String> types = new TreeSet<>();
        Matcher matcher = TYPE_MATCHER.matcher(query);
        while (matcher.find()) {
            operators.add(matcher.group(1));
            types.add(matcher.group(2));
        }
        int server = Integer.parseInt(effective(container, "worker.concurrency"));
        if (operators.equals(Set.of("=")) && types.size() == 1) {
            String perType = "worker.concurrency." + types.iterator().next();
            boolean limited = variables.containsKey(perType) || candidates(perType).stream().anyMatch(environment(container)::containsKey);
            return Integer.toString(limited ? Math.min(server, Integer.parseInt(effective(container, perType))) : server);
        }
        if (operators.equals(Set.of("!="))) {
            return Integer.toString(server);
        }
        return "(a query that counts one type, type=\"X\", or all but some, type!=\"X\"; not " + query + ")";
    }

    /** Calls back with each (Secret name, key) a resource reads: secretKeyRef, and a PodMonitor's basicAuth. */
    private static void collectSecretReferences(Object node, java.util.function.BiConsumer<String, String> reference) {
        if (node instanceof Map<?, ?> map) {
            if (map.containsKey("key") && map.containsKey("name") && map.size() == 2) {
                reference.accept(String.valueOf(map.get("name")), String.valueOf(map.get("key")));
            }
            map.values().forEach(value -> collectSecretReferences(value, reference));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> collectSecretReferences(value, reference));
        }
    }

    // ---------------------------------------------------------------- Liberty's rules

    /**
     * Liberty looks a variable up in the environment by its name, then with every character but
     * letters and digits an underscore, then that in capitals (Open Liberty, "Server configuration
     * overview", variable substitution; MicroProfile Config's environment source does the same).
     */
    static List<String> candidates(String variable) {
        String underscored = variable.replaceAll("[^A-Za-z0-9]", "_");
        return List.of(variable, underscored, underscored.toUpperCase(Locale.ROOT));
    }

    /** @return the variable of server-config (or still to come) that this environment variable sets, if any */
    private static Optional<String> variableOf(String environmentVariable) {
        return variables.keySet().stream()
                .filter(variable -> candidates(variable).contains(environmentVariable)).findFirst();
    }

    private static String variableIn(String attribute) {
        Matcher reference = Pattern.compile("\\$\\{([^}]+)}").matcher(attribute);
        assertTrue(reference.matches(), "the endpoint's port is a variable: " + attribute);
        return reference.group(1);
    }

    private static List<String> features() {
        NodeList nodes = serverXml.getElementsByTagName("feature");
        List<String> features = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            features.add(nodes.item(i).getTextContent().trim());
        }
        return features;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertTrue(node == null || node instanceof Map, "a mapping expected, not " + node);
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    private static List<String> strings(Object node) {
        assertTrue(node instanceof List, "a list expected, not " + node);
        return ((List<?>) node).stream().map(String::valueOf).toList();
    }
}
