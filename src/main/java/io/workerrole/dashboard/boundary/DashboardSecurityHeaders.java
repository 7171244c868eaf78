package io.workerrole.dashboard.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Tells the browser what the dashboard's pages may do, on every response under /dashboard/ and
 * of the webjars it loads (/webjars/): scripts, styles, images and API calls from the worker
 * itself only, no plugins, no {@code <base>}, and never shown in a frame of another page
 * (which could trick an operator into clicking a requeue or a cancel it hides), said twice:
 * {@code frame-ancestors 'none'} for browsers that read the policy, {@code X-Frame-Options: DENY}
 * for those that do not.
 * <p>
 * Scripts keep {@code 'unsafe-eval'}: Alpine.js's standard build turns each template expression
 * into a function with {@code new Function}, and the dashboard's templates use what the CSP build
 * of Alpine cannot evaluate (comparisons, ternaries, object and array literals, calls with
 * arguments, the page's {@code Dashboard} helpers), which no webjar on Maven Central serves
 * anyway. The policy still refuses inline scripts and scripts from elsewhere, and no text of a
 * job can become a template: the pages write it with {@code x-text}, never as markup. No
 * {@code 'unsafe-inline'} for styles either: Alpine's {@code :style} and uPlot set styles
 * through the CSSOM, which the policy does not govern.
 */
@WebFilter(filterName = "dashboard-security-headers", urlPatterns = {"/dashboard/*", "/webjars/*"})
public class DashboardSecurityHeaders extends HttpFilter {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Set before the page is written: once its body is under way, headers can no longer be added.
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Frame-Options", "DENY");
        chain.doFilter(request, response);
    }
}
