package io.workerrole.platform;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The worker's settings, declared as {@code <variable>}s in server.xml and read through
 * MicroProfile Config on every call, so an admin's edit of the running server's configuration
 * takes effect without a restart. A value that does not parse is reported once (as an error
 * naming the setting and the expected form) and the default is used instead.
 */
@ApplicationScoped
public class WorkerSettings {

    public static final String FREEZE = "worker.freeze";
    public static final String FREEZE_TYPES = "worker.freeze.types";
    public static final String STOPPING_WAIT_TIME = "worker.stoppingWaitTime";
    public static final String RESTART_BACKOFF = "worker.tasks.restartBackoff";
    public static final String MAX_RESTART_BACKOFF = "worker.tasks.maxRestartBackoff";
    public static final String MAX_CONSECUTIVE_FAILURES = "worker.tasks.maxConsecutiveFailures";
    public static final String STORAGE_DIR = "worker.storage.dir";
    public static final String SERVER_ID = "worker.serverId";
    public static final String SINGLETON_LEASE = "worker.singleton.lease";
    public static final String DATASOURCE = "worker.datasource";
    public static final String MAX_PAYLOAD_BYTES = "worker.maxPayloadBytes";
    public static final String LEASE = "worker.lease";
    public static final String ROLE = "worker.role";

    static final Duration DEFAULT_STOPPING_WAIT_TIME = Duration.ofSeconds(30);
    static final Duration DEFAULT_RESTART_BACKOFF = Duration.ofSeconds(1);
    static final Duration DEFAULT_MAX_RESTART_BACKOFF = Duration.ofMinutes(1);
    static final int DEFAULT_MAX_CONSECUTIVE_FAILURES = 10;
    /** worker.role unless set: a server of the one role every server had before roles. */
    public static final String DEFAULT_ROLE = "worker";
    /** A role's name: short, and safe in a metric's label, a Kubernetes name and a log line. */
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    static final Duration DEFAULT_SINGLETON_LEASE = Duration.ofSeconds(15);
    /** The shortest singleton lease: its holder checks it four times a second and must renew it every third. */
    static final Duration MIN_SINGLETON_LEASE = Duration.ofSeconds(3);

    private static final Logger LOG = Logger.getLogger(WorkerSettings.class.getName());

    /** Bad values already reported, so that a bad setting is logged once, not every tick. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /**
     * Each setting's last raw value and what it parsed to: settings are read for every job, and
     * parsing (a list of hosts, say) costs more than reading, so a value is parsed again only
     * when an admin has changed it.
     */
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private volatile String serverId;
    private volatile boolean freezeSeenDeclared;

    private record Parsed(String raw, Object value) {
    }

    /** @return the JNDI name of the data source every store of the worker uses ({@link WorkerDatabase}) */
    public String datasource() {
        return readString(DATASOURCE, "jdbc/workerDerby");
    }

    /** @return the largest payload a job, a schedule or a pipeline run may carry, in bytes */
    public int maxPayloadBytes() {
        return readInt(MAX_PAYLOAD_BYTES, 1_048_576, 1);
    }

    /**
     * @return how long a server's claim lasts without renewal: of a running job (another server
     *         takes it over after), and of its heartbeat (it is listed as gone after)
     */
    public Duration lease() {
        return readDuration(LEASE, Duration.ofSeconds(60));
    }

    /**
     * @return this server's role ({@code worker.role}): the name of the servers deployed alike, to
     *         run the same job types; a name that is not 1 to 40 letters, digits, '-' or '_' is
     *         reported once and the default used
     */
    public String role() {
        return readParsed(ROLE, DEFAULT_ROLE, WorkerSettings::parseRole, "a role name: 1 to 40 letters, digits, '-' or '_'");
    }

    /** @return the freeze flag, or empty if it is set to something other than true or false */
    public Optional<Boolean> freeze() {
        return Optional.ofNullable(read(FREEZE, false, WorkerSettings::parseBoolean, "true or false", null));
    }

    /**
     * @return the job types this server holds ({@code worker.freeze.types}: names separated by
     *         commas), which it claims no job of while the rest of its work goes on; empty when unset
     */
    public Set<String> freezeTypes() {
        return readParsed(FREEZE_TYPES, Set.of(), WorkerSettings::parseNames, "job type names separated by commas");
    }

    public Duration stoppingWaitTime() {
        return readDuration(STOPPING_WAIT_TIME, DEFAULT_STOPPING_WAIT_TIME);
    }

    public Duration restartBackoff() {
        return readDuration(RESTART_BACKOFF, DEFAULT_RESTART_BACKOFF);
    }

    public Duration maxRestartBackoff() {
        return readDuration(MAX_RESTART_BACKOFF, DEFAULT_MAX_RESTART_BACKOFF);
    }

    public int maxConsecutiveFailures() {
        return readInt(MAX_CONSECUTIVE_FAILURES, DEFAULT_MAX_CONSECUTIVE_FAILURES, 0);
    }

    /**
     * @return how long a singleton task's lease lasts without renewal (renewed every third of it),
     *         at least 3 seconds
     */
    public Duration singletonLease() {
        Duration lease = readDuration(SINGLETON_LEASE, DEFAULT_SINGLETON_LEASE);
        return lease.compareTo(MIN_SINGLETON_LEASE) < 0 ? MIN_SINGLETON_LEASE : lease;
    }

    /** @return this server's identity in the job store: stable across restarts, unique in a cluster */
    public String serverId() {
        if (serverId == null) {
            String configured = readString(SERVER_ID, "worker");
            serverId = configured.contains("@") ? configured : configured + "@" + hostName();
        }
        return serverId;
    }

    /** @return the name of the host this server runs on, as the default server id ends with it */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** @return the storage folder; relative paths are taken from the server's working directory */
    public Path storageDir() {
        return read(STORAGE_DIR, Path.of("storage"), Path::of, "a folder path", Path.of("storage"));
    }

    /** @return a non-negative ISO-8601 duration setting, or the default */
    public Duration readDuration(String name, Duration fallback) {
        return read(name, fallback, WorkerSettings::parseDuration, "an ISO-8601 duration such as PT30S", fallback);
    }

    /** @return a whole-number setting of at least {@code min}, or the default */
    public int readInt(String name, int fallback, int min) {
        return read(name, fallback, value -> parseInt(value, min), "a whole number, " + min + " or more", fallback);
    }

    /** @return an optional whole-number setting of at least {@code min} */
    public Optional<Integer> readOptionalInt(String name, int min) {
        return Optional.ofNullable(read(name, null, value -> parseInt(value, min), "a whole number, " + min + " or more", null));
    }

    /**
     * @param parse reads the value, throwing IllegalArgumentException when it is not {@code expected}
     * @return a setting of another form (a list of origins, say), or the default when unset or when it does not parse
     */
    public <T> T readParsed(String name, T fallback, Function<String, T> parse, String expected) {
        return read(name, fallback, parse, expected, fallback);
    }

    /** @return a true/false setting, or the default */
    public boolean readBoolean(String name, boolean fallback) {
        return read(name, fallback, WorkerSettings::parseBoolean, "true or false", fallback);
    }

    /** @return a text setting, or the default when unset or blank */
    public String readString(String name, String fallback) {
        String value = read(name, fallback, v -> v, "text", fallback);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * @param retired the name the setting had when it listed hosts, whose entries meant any port:
     *        reported once if still set, since it is no longer read
     * @return a list of allowed origins ({@link AllowedOrigins#parse}); empty when unset, and when
     *         an entry is neither an origin nor a host (the error is logged), so that a mistake
     *         allows nothing rather than something unintended
     */
    public AllowedOrigins readOrigins(String name, String retired) {
        if (ConfigProvider.getConfig().getOptionalValue(retired, String.class).isPresent() && reported.add(retired)) {
            LOG.warning(() -> "Setting " + retired + " is no longer read: list the origins (http://host:port, https://host:port)"
                    + " the worker may call in " + name + "; a bare host there means its default ports (80, 443) only");
        }
        AllowedOrigins none = AllowedOrigins.parse("");
        return read(name, none, AllowedOrigins::parse, "a comma-separated list of origins (http://host:port, https://host:port)"
                + " and hosts (their default ports only)", none);
    }

    /**
     * @param unset the value when the setting is not declared at all
     * @param invalid the value when it is declared but does not parse
     */
    private <T> T read(String name, T unset, Function<String, T> parse, String expected, T invalid) {
        Optional<String> raw = ConfigProvider.getConfig().getOptionalValue(name, String.class);
        String key = name + " as " + expected;
        Parsed last = parsed.get(key);
        if (raw.isEmpty()) {
            if (last != null && configurationWithdrawn()) {
                @SuppressWarnings("unchecked")
                T value = (T) last.value();
                return value;
            }
            return unset;
        }
        if (name.equals(FREEZE)) {
            freezeSeenDeclared = true;
        }
        if (last != null && last.raw().equals(raw.get())) {
            @SuppressWarnings("unchecked")
            T value = (T) last.value();
            return value;
        }
        try {
            T value = parse.apply(raw.get().trim());
            parsed.put(key, new Parsed(raw.get(), value));
            return value;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            if (reported.add(name + '=' + raw.get())) {
                LOG.severe(() -> "Setting " + name + "='" + raw.get() + "' is not " + expected
                        + (invalid == null ? "; keeping the current state" : "; using " + invalid));
            }
            return invalid;
        }
    }

    /**
     * @return whether Liberty has taken server.xml's variables away: it does so about half a
     *         second before it stops the application, when every setting would read as unset. A
     *         frozen server would then thaw and claim jobs it cannot run any more, a server of one
     *         role claim every type. So while {@code worker.freeze}, which the shipped server.xml
     *         declares and this server has seen declared, is missing, each setting keeps the value
     *         it last had. (A server.xml that never declared it never counts as withdrawn.)
     */
    private boolean configurationWithdrawn() {
        boolean declared = ConfigProvider.getConfig().getOptionalValue(FREEZE, String.class).isPresent();
        if (declared) {
            freezeSeenDeclared = true;
        }
        return !declared && freezeSeenDeclared;
    }

    static Boolean parseBoolean(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(value);
        };
    }

    static Set<String> parseNames(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(name -> !name.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    static String parseRole(String value) {
        if (!ROLE_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(value);
        }
        return value;
    }

    static Integer parseInt(String value, int min) {
        int number = Integer.parseInt(value);
        if (number < min) {
            throw new IllegalArgumentException("below " + min + ": " + value);
        }
        return number;
    }

    static Duration parseDuration(String value) {
        Duration duration = Duration.parse(value);
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative: " + value);
        }
        return duration;
    }

}
