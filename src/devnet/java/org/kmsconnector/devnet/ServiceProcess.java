package org.kmsconnector.devnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.kmsconnector.cli.KmsConnector;

/** One connector service run from the built jar as a child process, its output in a log file. */
public final class ServiceProcess implements AutoCloseable {
    private final String service;
    private final Process process;
    private final Path log;

    private ServiceProcess(String service, Process process, Path log) {
        this.service = service;
        this.process = process;
        this.log = log;
    }

    /** java -jar {jar} {service} start --config {config}, with extra environment variables. */
    public static ServiceProcess start(Path jar, String service, Path config, Path log, Map<String, String> env)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(List.of("-jar", jar.toString(), service, "start", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new ServiceProcess(service, pb.start(), log);
    }

    /** The service jar: -Dkms.connector.jar, else the jar the connector's classes are loaded from. */
    public static Path connectorJar() {
        String configured = System.getProperty("kms.connector.jar");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            Path self = Path.of(KmsConnector.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self)) {
                return self;
            }
        } catch (Exception ignored) {
            // fall through to the build output
        }
        return Path.of("target", "kms-connector-0.15.0.jar");
    }

    public String service() {
        return service;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException(service + " still running after " + seconds + " s");
        }
        return process.exitValue();
    }

    /** SIGKILL: a crash, for the tests of what survives one. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    @Override
    public void close() {
        ChildProcesses.stop(process, 15);
    }
}
