package io.workerrole.it.support;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A servlet that fails: GET throws an exception whose class and message must not reach the
 * caller; every other method is left to HttpServlet, which answers 405 through the container.
 */
@WebServlet(FailingServlet.PATH)
public class FailingServlet extends HttpServlet {

    public static final String PATH = "/probe/fail";
    /** Words of the exception that no answer may show. */
    public static final String SECRET = "secret-detail-of-the-failure";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        throw new IllegalStateException(SECRET);
    }
}
