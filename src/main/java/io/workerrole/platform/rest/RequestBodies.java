package io.workerrole.platform.rest;

import io.workerrole.platform.rest.InvalidRequestException.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Request bodies as every resource reads them: bounded in size, and strictly UTF-8. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** Reads at most maxBytes (more is 413), and insists on valid UTF-8 (else 400). */
    public static String readUtf8(InputStream body, int maxBytes) throws IOException {
        byte[] bytes = body.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new InvalidRequestException(Kind.TOO_LARGE, "the body is larger than the limit of " + maxBytes + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException(Kind.MALFORMED, "the body is not valid UTF-8");
        }
    }
}
