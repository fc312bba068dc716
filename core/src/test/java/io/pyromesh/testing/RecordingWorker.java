package io.pyromesh.testing;

import io.pyromesh.server.Expose;

/**
 * An object for tests that kill its process: {@code work(id)} prints {@code RAN <id>} on standard output
 * the moment it runs a call, so that a test knows, even after a {@code kill -9}, which calls ran there,
 * and answers with the name it was given.
 */
@Expose
public final class RecordingWorker {
    private final String name;

    public RecordingWorker(String name) {
        this.name = name;
    }

    public String work(String id) throws InterruptedException {
        synchronized (System.out) {
            System.out.println("RAN " + id);
            System.out.flush();
        }
        Thread.sleep(2);
        return name;
    }
}
