package io.workerrole.platform.security;

import io.workerrole.it.support.ApiEndpoint;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every REST method of the worker says who may call it, and the role matrices walk every one:
 * the resources are found by scanning the compiled classes, so a new endpoint cannot be left
 * out by forgetting to list it.
 */
class RestRolesTest {

    @Test
    void everyRestMethodNamesExactlyOneOfTheFourRoles() throws Exception {
        List<String> problems = new ArrayList<>();
        resourceMethods().forEach((call, method) -> {
            RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
            if (method.isAnnotationPresent(PermitAll.class) || allowed == null) {
                problems.add(call + " (" + method + ") has no @RolesAllowed");
            } else if (allowed.value().length != 1 || !Roles.ALL.contains(allowed.value()[0])) {
                problems.add(call + " allows " + Arrays.toString(allowed.value()) + ", not one of " + Roles.ALL);
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theRoleMatricesWalkEveryRestMethodWithTheRoleItNeeds() throws Exception {
        Map<String, String> declared = new TreeMap<>();
        resourceMethods().forEach((call, method) -> {
            RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
            declared.put(call, allowed == null ? "(none)" : String.join(",", allowed.value()));
        });
        Map<String, String> walked = Stream.of(ApiEndpoint.values())
                .collect(Collectors.toMap(e -> e.method() + " " + e.path(), ApiEndpoint::role, (a, b) -> a, TreeMap::new));
        assertFalse(declared.isEmpty());
        assertEquals(declared, walked, "it.support.ApiEndpoint must list every REST method with its role");
    }

    /** @return each resource method of the worker's classes, by "METHOD /path/{template}" */
    private static Map<String, Method> resourceMethods() throws IOException, ClassNotFoundException {
        String base = "";
        List<Class<?>> resources = new ArrayList<>();
        for (Class<?> type : workerClasses()) {
            if (type.isAnnotationPresent(ApplicationPath.class)) {
                base = "/" + type.getAnnotation(ApplicationPath.class).value().replaceAll("^/|/$", "");
            }
            if (type.isAnnotationPresent(Path.class)) {
                resources.add(type);
            }
        }
        Map<String, Method> methods = new TreeMap<>();
        for (Class<?> resource : resources) {
            for (Method method : resource.getDeclaredMethods()) {
                String verb = httpMethod(method);
                if (verb != null) {
                    String path = base + join(resource.getAnnotation(Path.class).value(),
                            method.isAnnotationPresent(Path.class) ? method.getAnnotation(Path.class).value() : "");
                    methods.put(verb + " " + path, method);
                }
            }
        }
        return methods;
    }

    private static String httpMethod(Method method) {
        return Stream.of(method.getAnnotations())
                .map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                .filter(h -> h != null).map(HttpMethod::value).findFirst().orElse(null);
    }

    private static String join(String... parts) {
        return Stream.of(parts).map(p -> p.replaceAll("^/|/$", "")).filter(p -> !p.isEmpty())
                .collect(Collectors.joining("/", "/", ""));
    }

    /** The worker's own classes, as compiled into target/classes (not the tests'). */
    private static List<Class<?>> workerClasses() throws IOException, ClassNotFoundException {
        java.nio.file.Path classes = Paths.get("target/classes");
        List<Class<?>> types = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                types.add(Class.forName(name, false, RestRolesTest.class.getClassLoader()));
            }
        }
        return types;
    }
}
