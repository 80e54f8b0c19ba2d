package io.statehouse.it;

import static io.statehouse.it.Http.BASE;
import static io.statehouse.it.Http.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A black-box check of Camunda's Tasklist on our engine, as a browser meets it: the page, the
 * CSRF token, the login, the web apps' own REST API.
 */
@ExtendWith(ArquillianExtension.class)
class CamundaWebappsIT {

    private static final String TASKLIST = BASE + "/camunda/app/tasklist/default/";
    private static final String LOGIN = BASE + "/camunda/api/admin/auth/user/default/login/tasklist";
    private static final String TASK_COUNT = BASE + "/camunda/api/engine/engine/default/task/count";

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @Test
    void tasklistAndItsRestApiAnswerAfterLogin() {
        Http browser = Http.anonymous();
        HttpResponse<String> page = browser.get(TASKLIST, "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Tasklist");
        String csrf = page.headers().firstValue("X-XSRF-TOKEN").orElseThrow();
        assertThat(browser.get(TASK_COUNT, "X-XSRF-TOKEN", csrf).statusCode()).as("before login").isEqualTo(401);

        HttpResponse<String> login = browser.postForm(LOGIN, "username=demo&password=demo", "X-XSRF-TOKEN", csrf);

        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(object(login).getJsonArray("authorizedApps").toString()).contains("tasklist", "cockpit", "admin");
        String sessionCsrf = login.headers().firstValue("X-XSRF-TOKEN").orElse(csrf);
        HttpResponse<String> count = browser.get(TASK_COUNT, "X-XSRF-TOKEN", sessionCsrf);
        assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
        assertThat(object(count).getJsonNumber("count").longValue()).isNotNegative();
        HttpResponse<String> filters = browser.get(BASE + "/camunda/api/engine/engine/default/filter?resourceType=Task",
                "X-XSRF-TOKEN", sessionCsrf);
        assertThat(filters.body()).as("the shared Tasklist filters").contains("\"My groups\"", "\"My tasks\"", "\"All tasks\"");
    }

    @Test
    void wrongPasswordAtTheTasklistGets401() {
        Http browser = Http.anonymous();
        String csrf = browser.get(TASKLIST, "Accept", "text/html").headers().firstValue("X-XSRF-TOKEN").orElseThrow();

        HttpResponse<String> login = browser.postForm(LOGIN, "username=nobody-" + System.nanoTime() + "&password=guess",
                "X-XSRF-TOKEN", csrf);

        assertThat(login.statusCode()).isEqualTo(401);
        assertThat(login.body()).doesNotContain("Exception");
    }
}
