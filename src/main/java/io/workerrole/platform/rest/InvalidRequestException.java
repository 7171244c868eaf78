package io.workerrole.platform.rest;

/** A job request that cannot be accepted, with the reason to give the producer. */
public class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What is wrong, which also decides the HTTP status. */
    public enum Kind {
        /** Not JSON, not an object, not UTF-8: 400. */
        MALFORMED(400),
        /** Over the size limit: 413. */
        TOO_LARGE(413),
        /** JSON, but a field is missing, of the wrong type, or names an unknown job type: 422. */
        INVALID(422);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    public InvalidRequestException(Kind kind, String reason) {
        super(reason);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
