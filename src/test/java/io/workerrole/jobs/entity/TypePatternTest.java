package io.workerrole.jobs.entity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TypePatternTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "thumbnail              | thumbnail      | true",
            "thumbnail              | thumbnails     | false",
            "thumbnail              | big-thumbnail  | false",
            "thumbnail,image-*      | image-resize   | true",
            "thumbnail,image-*      | image-         | true",
            "thumbnail,image-*      | images         | false",
            "' thumbnail , image-* '| thumbnail      | true",
            "*                      | script:report  | true",
            "script:*               | script:report  | true",
            "script:*               | scripts        | false",
            "*-fast                 | mail-fast      | true",
            "*-fast                 | mail-fast-2    | false",
            "a*b*c                  | a-x-b-y-c      | true",
            "a*b*c                  | a-x-c          | false",
            "mail.send              | mailxsend      | false",
            "''                     | anything       | false"})
    void aTypeMatchesWhenItMatchesAnEntryWithStarsForAnyRunOfCharacters(String list, String type, boolean matches) {
        assertEquals(matches, TypePattern.parse(list).matches(type), list + " against " + type);
    }

    @Test
    void allMatchesEveryTypeAndNoneNoType() {
        assertTrue(TypePattern.ALL.matches("echo"));
        assertTrue(TypePattern.ALL.matches("script:x"));
        assertFalse(TypePattern.NONE.matches("echo"));
        assertTrue(TypePattern.NONE.isEmpty());
        assertEquals(TypePattern.NONE, TypePattern.parse(" , ,"), "blank entries are no entries");
    }

    @Test
    void anEntryThatIsNoTypeNorPatternIsRefusedByName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> TypePattern.parse("thumbnail, image resize"));
        assertTrue(refused.getMessage().contains("\"image resize\""), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TypePattern.parse("image?"));
        assertThrows(IllegalArgumentException.class, () -> TypePattern.parse("x".repeat(101)));
    }

    @Test
    void itReadsBackAsTheSettingListsIt() {
        assertEquals("thumbnail,image-*", TypePattern.parse(" thumbnail ,image-* ").toString());
    }
}
