package io.pyromesh.cli;

import io.pyromesh.Pyro;
import io.pyromesh.config.PyroConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code pyromesh check-config}: the effective configuration, as Pyro's {@code pyro5-check-config}. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Print the version, protocol and every config item (ITEM = value).")
final class CheckConfigCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        PyroConfig config = PyroConfig.current();
        System.out.println("Pyromesh version: " + Pyro.VERSION);
        System.out.println("Loaded from: " + Pyro.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        System.out.println("Java version: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("Protocol: pyromesh.v1 over gRPC");
        System.out.println("Configuration (defaults, PYRO_* environment, -DPYRO_* properties):");
        config.dump().forEach((item, value) -> System.out.println(item + " = " + value));
        return 0;
    }
}
