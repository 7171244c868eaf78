package io.workerrole.jobs.control;

import io.workerrole.jobs.entity.TypePattern;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerTypesTest {

    private static final List<String> HANDLED = List.of("echo", "fail", "fetch", "image-crop", "script:report", "sleep", "thumbnail");

    private static Set<String> admitted(String include, String exclude) {
        return ServerTypes.admitted(HANDLED, TypePattern.parse(include), TypePattern.parse(exclude));
    }

    @Test
    void byDefaultAServerRunsEveryTypeItHasAHandlerFor() {
        assertEquals(Set.copyOf(HANDLED), ServerTypes.admitted(HANDLED, TypePattern.ALL, TypePattern.NONE));
    }

    @Test
    void theIncludeListNarrowsTheHandledTypesToThoseItNames() {
        assertEquals(Set.of("image-crop", "thumbnail"), admitted("thumbnail,image-*", ""));
        assertEquals(Set.of("thumbnail"), admitted("thumbnail,resize", ""), "a type without a handler here is not run here");
    }

    @Test
    void theExcludeListTakesTypesAwayAndWinsOverTheIncludeList() {
        assertEquals(Set.of("echo", "fail", "fetch", "sleep"), admitted("*", "thumbnail,image-*,script:*"));
        assertEquals(Set.of("image-crop"), admitted("thumbnail,image-*", "thumbnail"));
        assertEquals(Set.of(), admitted("*", "*"), "a server may run nothing (and still take jobs in for the others)");
    }

    @Test
    void theTypesAreListedInAlphabeticalOrder() {
        assertEquals(List.of("fail", "fetch", "sleep"), List.copyOf(ServerTypes.admitted(List.of("sleep", "fetch", "fail"),
                TypePattern.ALL, TypePattern.NONE)));
    }
}
