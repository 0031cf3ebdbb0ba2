package dev.websocketecho.api;

import dev.websocketecho.app.ApplicationServlet;
import dev.websocketecho.app.EchoApplication;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /api/stats}: the open and total sessions, the echo and topic counters and the connections the server
 * refused or closed to protect itself, as JSON. With {@code ?scope=cluster}, the same counters summed over every member
 * of the cluster, as each shared them in the last second or so, and {@code members}, how many there are (1 when the
 * instance is in no cluster).
 */
@WebServlet("/api/stats")
public class StatsServlet extends ApplicationServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String scope = request.getParameter("scope");
        if (scope != null && !scope.equals("cluster") && !scope.equals("instance")) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("scope is instance (the default) or cluster.\n");
            return;
        }
        answerJson(response, HttpServletResponse.SC_OK, "cluster".equals(scope)
                ? EchoApplication.json(application().clusterCounters()) : application().countersJson());
    }
}
