package io.workerrole.jobs.control;

import io.workerrole.jobs.control.InvalidJobRequestException.Kind;
import io.workerrole.jobs.entity.JobRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobRequestParserTest {

    private final JobRequestParser parser = new JobRequestParser(1000);

    @Test
    void onlyTypeIsRequired() {
        JobRequest request = parser.parse("{\"type\": \"echo\"}");

        assertEquals("echo", request.type());
        assertEquals("null", request.payload());
        assertNull(request.idempotencyKey());
        assertNull(request.priority());
        assertFalse(request.reply());
    }

    @Test
    void readsEveryFieldOfTheContract() {
        JobRequest request = parser.parse("{\"type\": \"thumbnail\", \"payload\": {\"path\": \"a.png\"}, "
                + "\"idempotencyKey\": \"upload-8812\", \"sequence\": {\"key\": \"order-42\", \"number\": 3}, "
                + "\"callbackUrl\": \"http://127.0.0.1:9999/done\", \"priority\": 7, \"reply\": true, \"futureField\": 1}");

        assertEquals("{\"path\":\"a.png\"}", request.payload());
        assertEquals("upload-8812", request.idempotencyKey());
        assertEquals("order-42", request.sequenceKey());
        assertEquals(3L, request.sequenceNumber());
        assertEquals("http://127.0.0.1:9999/done", request.callbackUrl());
        assertEquals(7, request.priority());
        assertTrue(request.reply());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                   | {\"type\":                                        | MALFORMED | not valid JSON",
            "an array                   | [1]                                               | MALFORMED | must be a JSON object",
            "a string                   | \"echo\"                                          | MALFORMED | not a string",
            "blank                      | '   '                                             | MALFORMED | empty",
            "no type                    | {\"payload\": 1}                                  | INVALID   | \"type\" is required",
            "null type                  | {\"type\": null}                                  | INVALID   | \"type\" is required",
            "numeric type               | {\"type\": 1}                                     | INVALID   | must be a string, not a number",
            "type with spaces           | {\"type\": \"a b\"}                               | INVALID   | letters, digits",
            "priority too high          | {\"type\": \"e\", \"priority\": 10}               | INVALID   | from 0 to 9",
            "fractional priority        | {\"type\": \"e\", \"priority\": 1.5}              | INVALID   | whole number",
            "sequence without number    | {\"type\": \"e\", \"sequence\": {\"key\": \"k\"}} | INVALID   | needs both",
            "negative sequence number   | {\"type\": \"e\", \"sequence\": {\"key\": \"k\", \"number\": -1}} | INVALID | from 0",
            "relative callback          | {\"type\": \"e\", \"callbackUrl\": \"/done\"}     | INVALID   | absolute http or https",
            "reply not boolean          | {\"type\": \"e\", \"reply\": \"yes\"}             | INVALID   | true or false",
            "empty idempotency key      | {\"type\": \"e\", \"idempotencyKey\": \"\"}       | INVALID   | 1 to 200 characters",
    })
    void saysPreciselyWhatIsWrong(String what, String body, Kind kind, String reason) {
        InvalidJobRequestException e = assertThrows(InvalidJobRequestException.class, () -> parser.parse(body));
        assertEquals(kind, e.kind());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void theSizeLimitCountsUtf8Bytes() {
        String payload = "é".repeat(490); // 980 bytes in UTF-8 but only 490 characters
        assertEquals("echo", parser.parse("{\"type\":\"echo\",\"payload\":\"" + payload.substring(0, 470) + "\"}").type());
        InvalidJobRequestException e = assertThrows(InvalidJobRequestException.class,
                () -> parser.parse("{\"type\":\"echo\",\"payload\":\"" + payload + "\"}"));
        assertEquals(Kind.TOO_LARGE, e.kind());
        assertEquals(413, e.kind().httpStatus());
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        String deep = "{\"type\":\"e\",\"payload\":" + "[".repeat(400) + "]".repeat(400) + "}";
        JobRequestParser roomy = new JobRequestParser(10_000);
        InvalidJobRequestException e = assertThrows(InvalidJobRequestException.class,
                () -> new JobRequestParser(100_000).parse("{\"type\":\"e\",\"payload\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
        assertEquals(Kind.MALFORMED, e.kind());
        assertEquals("e", roomy.parse(deep).type(), "ordinary nesting is fine");
    }
}
