package dev.websocketecho.api;

import dev.websocketecho.app.ApplicationServlet;
import dev.websocketecho.app.EchoApplication;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /api/health}, for a proxy or an orchestrator: 200 {@code {"status":"UP"}} while the instance serves, 503
 * {@code {"status":"DOWN"}} once it is being undeployed or shut down. Before the WAR is deployed the container answers
 * for it (404, or no connection at all), so anything but 200 means "send nothing here".
 */
@WebServlet("/api/health")
public class HealthServlet extends ApplicationServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EchoApplication application = application();
        if (application != null && application.accepting()) {
            answerJson(response, HttpServletResponse.SC_OK, "{\"status\":\"UP\"}");
        } else {
            answerJson(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "{\"status\":\"DOWN\"}");
        }
    }
}
