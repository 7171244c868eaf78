package io.workerrole.platform;

import jakarta.json.spi.JsonProvider;

import static io.workerrole.platform.SharedJson.JSON;

/**
 * The one JSON-P provider the worker uses. {@code JSON.createReader} and the other static
 * shortcuts of {@code jakarta.json.Json} look the provider up anew on every call, and each new
 * provider starts with an empty buffer pool, so every job message parsed allocated fresh
 * parser buffers: the largest single cost per job in a profile of a burst. One provider
 * reuses them.
 */
public final class SharedJson {

    /** Use as {@code JSON.createReader(...)}, {@code JSON.createObjectBuilder()}. */
    public static final JsonProvider JSON = JsonProvider.provider();

    private SharedJson() {
    }
}
