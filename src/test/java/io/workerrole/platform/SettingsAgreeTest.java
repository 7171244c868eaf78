package io.workerrole.platform;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every setting the Java code reads is declared in {@code server-config/} and listed in the
 * configuration table of {@code docs/operations.md}, and the three say the same default: a default
 * written in three places drifts unless something holds them together.
 *
 * <p>The Java side is found without naming a class, so that classes can move between packages:
 * each {@code *Settings} class of {@code target/classes} that reads through {@link WorkerSettings}
 * is run against a recording {@code WorkerSettings} (every method, a job type standing in as
 * {@code TYPE}), which notes each name read and the default passed with it; and the sources are
 * scanned for the other names ({@code "worker.…"} literals, {@code read…(NAME, DEFAULT)} calls
 * outside those classes, {@code Config.get…Value} with a literal name), and every compiled class for
 * {@code @ConfigProperty} injections. Defaults are compared as what the code makes of
 * them: {@code PT60S} and {@code PT1M} are the same duration.
 */
class SettingsAgreeTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path SERVER_CONFIG = Path.of("server-config");
    private static final Path DOCS = Path.of("docs/operations.md");

    /** Stands in for a job type (or a schedule's name) where a setting is declared per type. */
    private static final String PLACEHOLDER = "TYPE";
    /** A name segment in capitals is a placeholder: worker.concurrency.TYPE, worker.user.NAME.password. */
    private static final Pattern PLACEHOLDER_SEGMENT = Pattern.compile("[A-Z]+");

    /** "worker.…" literals of the sources that are not settings read, each with the reason. */
    private static final Map<String, String> NOT_SETTINGS = Map.of(
            "worker.frozen", "a metric's name",
            "worker.task.restarts.total", "a metric's name",
            "worker.fleet.frozen", "a metric's name",
            "worker.fleet.frozen.until.seconds", "a metric's name",
            "worker.types.held", "a metric's name",
            "worker.replies", "a queue's name, the default of worker.jms.replyQueues");
    /** Variables of server-config that other variables are made of, not settings of their own, each with the reason. */
    private static final Map<String, String> PLUMBING = Map.of(
            "worker.artemis.brokers", "the adapter's form of worker.artemis.host, .port and the backup's",
            "worker.artemis.connectors", "the adapter's connector classes, one per broker");
    /** Names no longer read: the worker warns when one is still set, so none is declared. */
    private static final Set<String> RETIRED = Set.of("worker.callback.allowedHosts", "worker.fetch.allowedHosts");

    private static Map<String, JavaDefault> javaSettings;
    /** Prefixes the code reads every name under (worker.schedule.): a pattern must describe them, and where it was read. */
    private static final Map<String, String> prefixes = new TreeMap<>();
    private static Map<String, Declared> declared;
    private static String serverConfigText;
    private static Map<String, String> documented;
    private static String docsTable;

    /** A default as the code has it: {@code value} null when the setting has none (unset means something else). */
    record JavaDefault(Object value, String where) {
    }

    /** A {@code <variable>} of server-config: its value as written, and as Liberty resolves it when it can. */
    record Declared(String raw, String resolved, String file) {
    }

    @BeforeAll
    static void read() throws Exception {
        assertTrue(Files.isDirectory(CLASSES), "run after compiling: " + CLASSES.toAbsolutePath());
        javaSettings = new TreeMap<>();
        recordSettingsClasses(javaSettings);
        injectedSettings(javaSettings);
        scanSources(javaSettings);
        declared = serverConfigVariables();
        serverConfigText = serverConfigText();
        docsTable = docsTable();
        documented = docsRows(docsTable);
    }

    @Test
    void findsTheSettingsOfEveryCapability() {
        // Guards the finding itself: were the classes moved out of reach, every check would pass empty.
        for (String name : List.of("worker.stoppingWaitTime", "worker.jobs.pollInterval", "worker.pipelines.stuckAfter",
                "worker.schedules.syncInterval", "worker.scripts.keepRuns", "worker.storage.watch.interval",
                "worker.jobs.retention", "worker.fetch.allowedOrigins", "worker.concurrency." + PLACEHOLDER)) {
            assertTrue(javaSettings.containsKey(name), name + " not found in the Java code; found " + javaSettings.keySet());
        }
        assertEquals(Duration.ofMillis(200), javaSettings.get("worker.jobs.pollInterval").value());
        assertTrue(documented.size() > 40, "docs table rows read: " + documented.keySet());
    }

    @Test
    void everySettingTheCodeReadsIsDeclaredInServerConfigWithTheSameDefault() {
        List<String> problems = new ArrayList<>();
        javaSettings.forEach((name, java) -> {
            if (isPattern(name)) {
                if (!serverConfigText.contains(name)) {
                    problems.add(name + " (read per type by " + java.where() + ") is not described in server-config/");
                }
                return;
            }
            Declared variable = declared.get(name);
            if (variable == null) {
                problems.add(name + " (read by " + java.where() + ") is not declared in server-config/");
            } else if (java.value() instanceof Conflict conflict) {
                problems.add(name + ": the code has more than one default, " + conflict);
            } else if (java.value() != null && variable.resolved() != null && !same(java.value(), variable.resolved())) {
                problems.add(name + ": default " + show(java.value()) + " in " + java.where() + " but '" + variable.raw()
                        + "' in " + variable.file() + unreadable(java.value(), variable.resolved()));
            }
        });
        prefixes.forEach((prefix, where) -> {
            if (!Pattern.compile(Pattern.quote(prefix) + "[A-Z]+\\b").matcher(serverConfigText).find()) {
                problems.add(prefix + "NAME… (read by " + where + ") is not described in server-config/");
            }
        });
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void everySettingIsInTheDocsTableWithTheDefaultOfServerConfig() {
        List<String> problems = new ArrayList<>();
        Set<String> names = new TreeSet<>(declared.keySet());
        names.removeIf(name -> !name.startsWith("worker.") && !javaSettings.containsKey(name));
        names.addAll(javaSettings.keySet());
        for (String name : names) {
            if (isPattern(name)) {
                if (!docsTable.contains(name)) {
                    problems.add(name + " is not in the configuration table of " + DOCS);
                }
                continue;
            }
            Optional<String> row = documentedDefault(name);
            Declared variable = declared.get(name);
            if (row.isEmpty()) {
                problems.add(name + " is not in the configuration table of " + DOCS);
            } else if (variable != null && !sameText(name, row.get(), variable.raw())) {
                problems.add(name + ": default '" + row.get() + "' in " + DOCS + " but '" + variable.raw() + "' in " + variable.file());
            } else if (variable == null && javaSettings.get(name).value() != null
                    && !same(javaSettings.get(name).value(), row.get())) {
                problems.add(name + ": default '" + row.get() + "' in " + DOCS + " but " + show(javaSettings.get(name).value())
                        + " in " + javaSettings.get(name).where());
            }
        }
        prefixes.forEach((prefix, where) -> {
            if (documented.keySet().stream().noneMatch(name -> name.startsWith(prefix) && isPattern(name))) {
                problems.add(prefix + "NAME… (read by " + where + ") is not in the configuration table of " + DOCS);
            }
        });
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void everyDocumentedSettingExists() {
        List<String> problems = new ArrayList<>();
        for (String name : documented.keySet()) {
            boolean known = isPattern(name)
                    ? Stream.concat(declared.keySet().stream(), javaSettings.keySet().stream()).anyMatch(n -> matches(name, n))
                            || serverConfigText.contains(name)
                    : declared.containsKey(name) || javaSettings.containsKey(name);
            if (!known) {
                problems.add(name + " is in the table of " + DOCS + " but neither declared in server-config/ nor read by the code");
            }
        }
        assertEquals("", String.join("\n", problems));
    }

    @Test
    void everyDeclaredSettingIsReadAndNoRetiredOneIsDeclared() {
        List<String> problems = new ArrayList<>();
        declared.forEach((name, variable) -> {
            boolean read = javaSettings.containsKey(name) || javaSettings.keySet().stream().anyMatch(n -> isPattern(n) && matches(n, name))
                    || serverConfigText.contains("${" + name + "}");
            if (!read && name.startsWith("worker.")) {
                problems.add(name + " is declared in " + variable.file() + " but nothing reads it (neither the code nor a ${"
                        + name + "} of server-config/)");
            }
        });
        RETIRED.stream().filter(declared::containsKey).forEach(name -> problems.add(name + " is no longer read but declared in "
                + declared.get(name).file()));
        assertEquals("", String.join("\n", problems));
    }

    // ---------------------------------------------------------------- the Java side

    /** Runs every method of each {@code *Settings} class against a recording WorkerSettings. */
    private static void recordSettingsClasses(Map<String, JavaDefault> into) throws Exception {
        List<Class<?>> classes;
        try (Stream<Path> files = Files.walk(CLASSES)) {
            classes = files.map(CLASSES::relativize).map(Path::toString)
                    .filter(file -> file.endsWith("Settings.class") && !file.contains("$"))
                    .<Class<?>>map(file -> load(file.substring(0, file.length() - ".class".length()).replace('/', '.').replace('\\', '.')))
                    .filter(type -> type != null && (type == WorkerSettings.class || settingsFields(type).findAny().isPresent()))
                    .toList();
        }
        for (Class<?> type : classes) {
            Recorder recorder = new Recorder(type.getSimpleName(), into);
            Object instance = type == WorkerSettings.class ? recorder : instantiate(type);
            for (Field field : settingsFields(type).toList()) {
                field.setAccessible(true);
                field.set(instance, recorder);
            }
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isStatic(method.getModifiers()) || method.isSynthetic()) {
                    continue;
                }
                Object[] arguments = standIns(method);
                if (arguments == null) {
                    continue;
                }
                method.setAccessible(true);
                try {
                    method.invoke(instance, arguments);
                } catch (InvocationTargetException e) {
                    // A method may need more than settings (MicroProfile Config itself: freeze()); what it read before is kept.
                }
            }
        }
    }

    /** Settings injected with {@code @ConfigProperty}, on fields and on constructor or method parameters of any class. */
    private static void injectedSettings(Map<String, JavaDefault> into) throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.walk(CLASSES)) {
            names = files.map(CLASSES::relativize).map(Path::toString).filter(file -> file.endsWith(".class"))
                    .map(file -> file.substring(0, file.length() - ".class".length()).replace('/', '.').replace('\\', '.')).toList();
        }
        for (String name : names) {
            Class<?> type = load(name);
            try {
                for (Field field : type == null ? new Field[0] : type.getDeclaredFields()) {
                    injected(field.getAnnotation(ConfigProperty.class), field.getGenericType(), type, into);
                }
                for (Executable executable : type == null ? new Executable[0] : Stream.concat(
                        Arrays.stream(type.getDeclaredConstructors()), Arrays.stream(type.getDeclaredMethods())).toArray(Executable[]::new)) {
                    for (Parameter parameter : executable.getParameters()) {
                        injected(parameter.getAnnotation(ConfigProperty.class), parameter.getParameterizedType(), type, into);
                    }
                }
            } catch (LinkageError e) {
                // A class whose members need a type the test's class path lacks: it injects nothing we could read.
            }
        }
    }

    private static void injected(ConfigProperty property, java.lang.reflect.Type type, Class<?> owner, Map<String, JavaDefault> into) {
        if (property == null || property.name().isEmpty()) {
            return;
        }
        boolean unset = property.defaultValue().equals(ConfigProperty.UNCONFIGURED_VALUE);
        if (type instanceof ParameterizedType wrapper) { // Provider<Duration>, Optional<Integer>: the value's type
            type = wrapper.getActualTypeArguments()[0];
        }
        Object value = unset ? null : switch (type.getTypeName()) {
            case "java.time.Duration" -> Duration.parse(property.defaultValue());
            case "int", "java.lang.Integer" -> Integer.valueOf(property.defaultValue());
            case "boolean", "java.lang.Boolean" -> Boolean.valueOf(property.defaultValue());
            default -> property.defaultValue();
        };
        into.merge(property.name(), new JavaDefault(value, owner.getSimpleName()), SettingsAgreeTest::both);
    }

    private static Stream<Field> settingsFields(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers()) && WorkerSettings.class.isAssignableFrom(field.getType()));
    }

    private static Object instantiate(Class<?> type) throws ReflectiveOperationException {
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }

    private static Object[] standIns(Method method) {
        Object[] arguments = new Object[method.getParameterCount()];
        for (int i = 0; i < arguments.length; i++) {
            Class<?> parameter = method.getParameterTypes()[i];
            if (parameter == String.class) {
                arguments[i] = PLACEHOLDER;
            } else if (parameter == Clock.class) {
                arguments[i] = Clock.systemUTC();
            } else {
                return null;
            }
        }
        return arguments;
    }

    /** A WorkerSettings that answers every read with its default and notes the name and the default. */
    private static final class Recorder extends WorkerSettings {
        private final String where;
        private final Map<String, JavaDefault> into;

        Recorder(String where, Map<String, JavaDefault> into) {
            this.where = where;
            this.into = into;
        }

        private <T> T note(String name, T fallback) {
            into.merge(name, new JavaDefault(fallback, where), SettingsAgreeTest::both);
            return fallback;
        }

        @Override
        public Duration readDuration(String name, Duration fallback) {
            return note(name, fallback);
        }

        @Override
        public int readInt(String name, int fallback, int min) {
            return note(name, fallback);
        }

        @Override
        public Optional<Integer> readOptionalInt(String name, int min) {
            note(name, null);
            return Optional.empty();
        }

        @Override
        public <T> T readParsed(String name, T fallback, Function<String, T> parse, String expected) {
            note(name, null); // a value of the setting's own type, which server.xml cannot write: not compared
            return fallback;
        }

        @Override
        public boolean readBoolean(String name, boolean fallback) {
            return note(name, fallback);
        }

        @Override
        public String readString(String name, String fallback) {
            return note(name, fallback);
        }

        @Override
        public AllowedOrigins readOrigins(String name, String retired) {
            note(name, ""); // unset: no origin allowed
            return AllowedOrigins.parse("");
        }
    }

    /** Two readers of one setting must agree on its default; one without a default defers to the other. */
    private static JavaDefault both(JavaDefault a, JavaDefault b) {
        if (a.value() == null || b.value() == null) {
            return a.value() == null ? b : a;
        }
        Map<Object, String> defaults = new LinkedHashMap<>(a.value() instanceof Conflict c ? c.defaults() : Map.of(a.value(), a.where()));
        defaults.putIfAbsent(b.value(), b.where());
        return defaults.size() == 1 ? a : new JavaDefault(new Conflict(defaults), String.join(" and ", defaults.values()));
    }

    /** Different Java defaults for one name (each with where it is written): never the same as any text, so it is reported. */
    record Conflict(Map<Object, String> defaults) {
        @Override
        public String toString() {
            return defaults.entrySet().stream().map(e -> show(e.getKey()) + " in " + e.getValue()).collect(Collectors.joining(" and "));
        }
    }

    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern SETTING_NAME = Pattern.compile("worker\\.[A-Za-z0-9_.]+");
    private static final String EXPRESSION = "(\"[^\"]*\"|[\\w.]+(?:\\([^()]*\\))?)";
    /** A read with a name and a default the source states: settings.readInt(MAX_PIXELS, DEFAULT_MAX_PIXELS, 1). */
    private static final Pattern READ = Pattern.compile("\\.read(?:Duration|Int|String|Boolean)\\(\\s*" + EXPRESSION
            + "\\s*,\\s*" + EXPRESSION + "\\s*[,)]");
    private static final Pattern CONFIG_READ = Pattern.compile("get(?:Optional)?Value\\(\\s*\"([^\"]+)\"");

    /**
     * The names the sources read that the recording did not see: "worker.…" literals (a prefix such
     * as "worker.schedule." stands for the names under it), reads with a default the source states,
     * and {@code Config.get…Value} with a literal name.
     */
    private static void scanSources(Map<String, JavaDefault> into) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String code = withoutComments(Files.readString(file, StandardCharsets.UTF_8));
            String where = file.getFileName().toString().replace(".java", "");
            Class<?> own = load(SOURCES.relativize(file).toString().replace(".java", "").replace('/', '.').replace('\\', '.'));
            Matcher read = READ.matcher(code);
            while (read.find()) {
                Object name = constant(read.group(1), own);
                if (name instanceof String setting && !setting.isEmpty()) {
                    into.merge(setting, new JavaDefault(constant(read.group(2), own), where), SettingsAgreeTest::both);
                }
            }
            Matcher config = CONFIG_READ.matcher(code);
            while (config.find()) {
                into.merge(config.group(1), new JavaDefault(null, where), SettingsAgreeTest::both);
            }
            Matcher literal = STRING_LITERAL.matcher(code);
            while (literal.find()) {
                String text = literal.group(1);
                if (!SETTING_NAME.matcher(text).matches() || NOT_SETTINGS.containsKey(text) || RETIRED.contains(text)) {
                    continue;
                }
                if (text.endsWith(".")) {
                    prefixes.put(text, where);
                } else {
                    into.merge(text, new JavaDefault(null, where), SettingsAgreeTest::both);
                }
            }
        }
    }

    /** The code with its comments blanked, so that a name a comment mentions is not taken as read. */
    static String withoutComments(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                if (code.startsWith("\"\"\"", i)) {
                    int close = code.indexOf("\"\"\"", i + 3);
                    end = close < 0 ? code.length() : close + 3;
                } else {
                    while (end < code.length() && code.charAt(end) != c) {
                        end += code.charAt(end) == '\\' ? 2 : 1;
                    }
                    end = Math.min(end + 1, code.length());
                }
                out.append(code, i, end);
                i = end;
            } else if (code.startsWith("//", i)) {
                i = code.indexOf('\n', i) < 0 ? code.length() : code.indexOf('\n', i);
            } else if (code.startsWith("/*", i)) {
                int close = code.indexOf("*/", i + 2);
                i = close < 0 ? code.length() : close + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static final Pattern DURATION_FACTORY = Pattern.compile("Duration\\.of(Days|Hours|Minutes|Seconds|Millis)\\((\\d[\\d_]*)L?\\)");

    /** @return what a name or default expression of the source stands for, or null when it is not a constant */
    private static Object constant(String expression, Class<?> own) {
        if (expression.startsWith("\"")) {
            return expression.substring(1, expression.length() - 1);
        }
        if (expression.equals("true") || expression.equals("false")) {
            return Boolean.valueOf(expression);
        }
        if (expression.matches("-?\\d[\\d_]*")) {
            return Integer.valueOf(expression.replace("_", ""));
        }
        Matcher duration = DURATION_FACTORY.matcher(expression);
        if (duration.matches()) {
            long amount = Long.parseLong(duration.group(2).replace("_", ""));
            return switch (duration.group(1)) {
                case "Days" -> Duration.ofDays(amount);
                case "Hours" -> Duration.ofHours(amount);
                case "Minutes" -> Duration.ofMinutes(amount);
                case "Seconds" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
            };
        }
        if (!expression.matches("(\\w+\\.)*[A-Z][A-Z0-9_]*")) {
            return null; // a variable or a call: known only when the code runs
        }
        int dot = expression.lastIndexOf('.');
        Class<?> type = dot < 0 ? own : classNamed(expression.substring(0, dot));
        try {
            Field field = type.getDeclaredField(expression.substring(dot + 1));
            field.setAccessible(true);
            return Modifier.isStatic(field.getModifiers()) ? field.get(null) : null;
        } catch (NoSuchFieldException | IllegalAccessException | NullPointerException e) {
            return null;
        }
    }

    /** @return the compiled class of that simple name (Outer.Inner for a nested one), wherever its package is now */
    private static Class<?> classNamed(String dotted) {
        String file = dotted.replace('.', '$') + ".class";
        try (Stream<Path> files = Files.walk(CLASSES)) {
            List<Path> found = files.filter(path -> path.getFileName().toString().equals(file)).toList();
            if (found.size() != 1) {
                return null;
            }
            String relative = CLASSES.relativize(found.get(0)).toString();
            return load(relative.substring(0, relative.length() - ".class".length()).replace('/', '.').replace('\\', '.'));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, SettingsAgreeTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- server-config and docs

    private static Map<String, Declared> serverConfigVariables() throws Exception {
        Map<String, Declared> variables = new TreeMap<>();
        for (Path file : serverConfigFiles()) {
            var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            NodeList nodes = document.getElementsByTagName("variable");
            for (int i = 0; i < nodes.getLength(); i++) {
                Element variable = (Element) nodes.item(i);
                String value = variable.hasAttribute("value") ? variable.getAttribute("value") : variable.getAttribute("defaultValue");
                variables.put(variable.getAttribute("name"), new Declared(value, null, SERVER_CONFIG.relativize(file).toString()));
            }
        }
        // The settings Liberty needs before it reads server.xml (worker.messaging, which names the broker's file)
        Properties bootstrap = new Properties();
        try (var in = Files.newBufferedReader(SERVER_CONFIG.resolve("bootstrap.properties"), StandardCharsets.UTF_8)) {
            bootstrap.load(in);
        }
        bootstrap.stringPropertyNames().forEach(name -> variables.put(name, new Declared(bootstrap.getProperty(name), null,
                "bootstrap.properties")));
        PLUMBING.keySet().forEach(variables::remove);
        Map<String, Declared> resolved = new TreeMap<>();
        variables.forEach((name, variable) -> resolved.put(name, new Declared(variable.raw(),
                resolve(variable.raw(), variables, 0), variable.file())));
        return resolved;
    }

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)}");

    /** @return the value with ${…} of other variables replaced, or null when one is Liberty's own (server.output.dir) */
    private static String resolve(String value, Map<String, Declared> variables, int depth) {
        Matcher reference = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            Declared other = variables.get(reference.group(1));
            String replacement = other == null || depth > 5 ? null : resolve(other.raw(), variables, depth + 1);
            if (replacement == null) {
                return null;
            }
            reference.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        reference.appendTail(out);
        return out.toString();
    }

    private static List<Path> serverConfigFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(SERVER_CONFIG)) {
            return walk.filter(file -> file.toString().endsWith(".xml")).sorted().toList();
        }
    }

    private static String serverConfigText() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path file : serverConfigFiles()) {
            text.append(Files.readString(file, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /** @return the rows of the table under "## Configuration" */
    private static String docsTable() throws IOException {
        List<String> lines = Files.readAllLines(DOCS, StandardCharsets.UTF_8);
        int heading = lines.indexOf("## Configuration");
        assertTrue(heading >= 0, DOCS + " has no '## Configuration' section");
        return lines.stream().skip(heading).dropWhile(line -> !line.startsWith("| `")).takeWhile(line -> line.startsWith("|"))
                .collect(Collectors.joining("\n"));
    }

    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    /**
     * A row names one setting or several, by full name or by the last part of the one before
     * ({@code worker.scripts.scanInterval} / {@code .keepRuns}), and gives as many defaults in
     * backquotes; a default without backquotes ("none", "empty: callbacks off") means the value is empty.
     */
    private static Map<String, String> docsRows(String table) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            String[] cells = line.split("\\s*\\|\\s*");
            List<String> names = new ArrayList<>();
            for (String token : codes(cells[1])) {
                if (token.startsWith(".")) {
                    String before = names.get(names.size() - 1);
                    names.add(before.substring(0, before.lastIndexOf('.')) + token);
                } else {
                    names.add(token);
                }
            }
            List<String> defaults = cells[2].startsWith("empty") || cells[2].startsWith("none") ? List.of() : codes(cells[2]);
            if (!defaults.isEmpty() && defaults.size() != names.size()) {
                throw new AssertionError("in " + DOCS + ", a row of " + names.size() + " settings with " + defaults.size()
                        + " defaults: " + line);
            }
            for (int i = 0; i < names.size(); i++) {
                rows.put(names.get(i), defaults.isEmpty() ? "" : defaults.get(i));
            }
        }
        return rows;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            codes.add(code.group(1));
        }
        return codes;
    }

    /** @return the docs' default for a setting, from its own row or a pattern's (worker.user.NAME.password: NAME-change-me) */
    private static Optional<String> documentedDefault(String name) {
        if (documented.containsKey(name)) {
            return Optional.of(documented.get(name));
        }
        return documented.entrySet().stream().filter(row -> isPattern(row.getKey()) && matches(row.getKey(), name)).findFirst()
                .map(row -> substitute(row.getKey(), name, row.getValue()));
    }

    // ---------------------------------------------------------------- comparing

    static boolean isPattern(String name) {
        return Arrays.stream(name.split("\\.")).anyMatch(segment -> PLACEHOLDER_SEGMENT.matcher(segment).matches());
    }

    /** @return whether the name is one the pattern stands for (worker.user.NAME.password: worker.user.admin.password) */
    static boolean matches(String pattern, String name) {
        String[] p = pattern.split("\\.");
        String[] n = name.split("\\.");
        if (p.length != n.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!p[i].equals(n[i]) && !PLACEHOLDER_SEGMENT.matcher(p[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String substitute(String pattern, String name, String value) {
        String[] p = pattern.split("\\.");
        String[] n = name.split("\\.");
        String result = value;
        for (int i = 0; i < p.length; i++) {
            if (!p[i].equals(n[i])) {
                result = result.replace(p[i], n[i]);
            }
        }
        return result;
    }

    /** @return whether a text of server.xml or docs means the Java default, read as the code reads it */
    static boolean same(Object java, String text) {
        return !(java instanceof Conflict) && java.equals(asJava(java, text));
    }

    /** @return the text read as the code reads a setting whose default is {@code example}; the text itself when it does not parse */
    static Object asJava(Object example, String text) {
        try {
            if (example instanceof Duration) {
                return WorkerSettings.parseDuration(text.trim());
            }
            if (example instanceof Integer) {
                return Integer.valueOf(text.trim());
            }
            if (example instanceof Boolean) {
                return WorkerSettings.parseBoolean(text.trim());
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return text;
        }
        return text;
    }

    /** Docs against server.xml: as the code reads the setting when it has a default (PT1M is PT60S), else as written. */
    private static boolean sameText(String name, String documented, String declaredRaw) {
        JavaDefault java = javaSettings.get(name);
        if (java == null || java.value() == null || java.value() instanceof Conflict) {
            return documented.equals(declaredRaw);
        }
        return asJava(java.value(), declaredRaw).equals(asJava(java.value(), documented));
    }

    /** @return why a text cannot mean the default when the code would not even read it (30s for a duration), else nothing */
    private static String unreadable(Object example, String text) {
        boolean typed = example instanceof Duration || example instanceof Integer || example instanceof Boolean;
        return typed && asJava(example, text) instanceof String
                ? " (which the code does not read as a " + example.getClass().getSimpleName() + ": it would log an error and use its default)"
                : "";
    }

    private static String show(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
