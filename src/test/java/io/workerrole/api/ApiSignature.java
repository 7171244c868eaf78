package io.workerrole.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The public API as text: one line per public type and per public or protected member that a
 * handler project can see, as {@code javac} would link against it (generic signatures,
 * modifiers, annotation defaults). Two signatures differ exactly where a handler compiled
 * against one could fail to compile or link against the other.
 */
final class ApiSignature {

    /** The packages an API signature may name: the API's own, the JDK's, Jakarta EE's, MicroProfile's. */
    private static final Pattern TYPE_NAME = Pattern.compile("\\b([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+)\\.[A-Z]\\w*");
    private static final List<String> ALLOWED_PACKAGES = List.of("io.workerrole.api", "java.", "jakarta.", "org.eclipse.microprofile.");

    private ApiSignature() {
    }

    /** @return the signature lines of every public type of the anchor's package, sorted */
    static SortedSet<String> ofPackageOf(Class<?> anchor) {
        SortedSet<String> lines = new TreeSet<>();
        for (Class<?> type : publicTypes(anchor)) {
            lines.add(typeLine(type));
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c)) {
                    lines.add(type.getName() + " | " + c.toGenericString());
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                    Object byDefault = m.getDefaultValue();
                    lines.add(type.getName() + " | " + m.toGenericString()
                            + (byDefault == null ? "" : " default " + defaultText(byDefault)));
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f) && !f.isSynthetic()) {
                    lines.add(type.getName() + " | " + f.toGenericString());
                }
            }
        }
        return lines;
    }

    /** @return the names of types outside the API's own and the platform's that the signature names */
    static SortedSet<String> foreignTypes(SortedSet<String> signature) {
        SortedSet<String> foreign = new TreeSet<>();
        for (String line : signature) {
            Matcher m = TYPE_NAME.matcher(line);
            while (m.find()) {
                String name = m.group();
                if (ALLOWED_PACKAGES.stream().noneMatch(name::startsWith)) {
                    foreign.add(name);
                }
            }
        }
        return foreign;
    }

    private static String typeLine(Class<?> type) {
        StringBuilder line = new StringBuilder(type.toGenericString());
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            line.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0 && !type.isAnnotation()) {
            line.append(type.isInterface() ? " extends " : " implements ")
                    .append(String.join(", ", Arrays.stream(interfaces).map(Type::getTypeName).toList()));
        }
        if (type.isAnnotation()) {
            // Where an annotation may go, and whether it is seen at run time, are part of its contract.
            Arrays.stream(type.getAnnotations()).map(Object::toString).sorted().forEach(a -> line.append(' ').append(a));
        }
        return line.toString();
    }

    private static String defaultText(Object value) {
        if (value instanceof Object[] array) {
            return Arrays.toString(array);
        }
        return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    }

    private static boolean visible(Member member) {
        int modifiers = member.getModifiers();
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /**
     * @return the public types of the anchor's package, nested ones too, read from the class files
     *         beside the anchor's (not from the tests' classes of the same package)
     */
    private static List<Class<?>> publicTypes(Class<?> anchor) {
        String packageName = anchor.getPackageName();
        ClassLoader loader = anchor.getClassLoader();
        URL location = anchor.getResource(anchor.getSimpleName() + ".class");
        if (location == null || !"file".equals(location.getProtocol())) {
            throw new IllegalStateException("the classes of " + packageName + " are not in a folder: " + location);
        }
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(location.toURI()).getParent())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String simple = file.getFileName().toString().replace(".class", "");
                if (simple.equals("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(packageName + "." + simple, false, loader);
                if (publiclyReachable(type)) {
                    types.add(type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return types;
    }

    private static boolean publiclyReachable(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }
}
