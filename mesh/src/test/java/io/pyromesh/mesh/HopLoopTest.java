package io.pyromesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.testing.LogCapture;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class HopLoopTest {
    private static final int DEFAULT = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    @Test
    void theNumberOfLoopsIsOnePerTwoCoresUnlessConfigured() {
        assertThat(HopLoop.threads(null)).isEqualTo(DEFAULT);
        assertThat(HopLoop.threads(" 3 ")).isEqualTo(3);
        assertThat(HopLoop.threads("0")).as("at least one").isEqualTo(1);
    }

    @Test
    void aValueThatIsNotANumberIsWarnedOfAndTheDefaultUsed() {
        try (LogCapture log = LogCapture.atLeast(Level.WARNING)) {
            assertThat(HopLoop.threads("many")).isEqualTo(DEFAULT);
            assertThat(log.records()).extracting(LogRecord::getMessage).containsExactly(
                    "PYROMESH_HOP_THREADS / pyromesh.hop.threads must be a number, not 'many': using " + DEFAULT + " event loop(s)");
        }
    }
}
