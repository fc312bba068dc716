package io.pyromesh.testing;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link ConsulAgent} dev agent for a test class: in a static {@code @RegisterExtension} field, one agent
 * for all its tests; in an instance field, a fresh one for each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DevConsul consul = new DevConsul();
 * }</pre>
 */
public final class DevConsul implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private ConsulAgent agent;
    private boolean perTest;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        agent = ConsulAgent.startDev();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (agent == null) {
            perTest = true;
            agent = ConsulAgent.startDev();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (perTest) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    private void stop() throws InterruptedException {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    public ConsulAgent agent() {
        return agent;
    }

    /** Its HTTP address, {@code http://127.0.0.1:PORT}. */
    public String httpAddress() {
        return agent.httpAddress();
    }

    /** An HTTP address on 127.0.0.1 where nothing listens: a Consul that is not there. */
    public static String nowhere() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
