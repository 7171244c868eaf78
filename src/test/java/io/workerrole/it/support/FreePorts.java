package io.workerrole.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the test run's own servers (Liberty servers, brokers, listeners): each one handed out
 * once per test JVM, so that test classes running at the same time never share one, and free when
 * handed out. They come from 30000–32767, below Linux's ephemeral range (32768 up), where the
 * client side of a connection could take one between this check and the server's bind, and above
 * every port written in the build (the Arquillian server's 19080/19443/17276, the dev server's 9080).
 * Each test JVM starts at a random place in that range and goes round it: two builds on one
 * machine at once (two checkouts) would otherwise hand out the same ports in the same order, and
 * a port found free by one could be taken by the other's server before its own bound it.
 */
public final class FreePorts {

    private static final int FIRST = 30000;
    private static final int LAST = 32767;
    private static final int COUNT = LAST - FIRST + 1;
    private static final int START = ThreadLocalRandom.current().nextInt(COUNT);
    /** How many ports were looked at so far: the next is START places further, round the range. */
    private static final AtomicInteger LOOKED_AT = new AtomicInteger();

    private FreePorts() {
    }

    /** @return a port no one in this JVM was given before, and that nothing listens on now */
    public static int next() {
        for (int looked = LOOKED_AT.getAndIncrement(); looked < COUNT; looked = LOOKED_AT.getAndIncrement()) {
            int port = FIRST + (START + looked) % COUNT;
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port left in " + FIRST + "-" + LAST);
    }

    /** @return whether a server could listen on this port on every address (a leftover server of an interrupted run holds its ports) */
    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
