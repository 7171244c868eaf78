package io.workerrole.it.support;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service that fails: {@code GET /probe/flaky?key=K&failures=N} answers 503 to the first N
 * calls with key K, then 200 with the number of calls.
 */
@WebServlet("/probe/flaky")
public class FlakyServiceServlet extends HttpServlet {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int call = calls.computeIfAbsent(request.getParameter("key"), k -> new AtomicInteger()).incrementAndGet();
        int failures = Integer.parseInt(request.getParameter("failures"));
        response.setContentType("text/plain");
        if (call <= failures) {
            response.sendError(503, "failing on purpose, call " + call);
            return;
        }
        response.getWriter().print("ok after " + call + " calls");
    }
}
