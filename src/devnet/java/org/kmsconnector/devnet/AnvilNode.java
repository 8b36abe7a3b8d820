package org.kmsconnector.devnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A local EVM node (anvil) as a child process on a free loopback port. */
public final class AnvilNode implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;
    private final long chainId;

    private AnvilNode(Process process, int port, long chainId) {
        this.process = process;
        this.port = port;
        this.chainId = chainId;
    }

    /**
     * How far the finalized tag trails latest: anvil runs with one slot per epoch (as the
     * original's tests do), so a block is final two blocks later instead of 64.
     */
    public static final int FINALITY_DEPTH = 2;

    /** Starts anvil with automatic mining; extra args go straight to anvil (e.g. "--block-time", "1"). */
    public static AnvilNode start(long chainId, String... extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(NodeTools.anvil().toString(),
                "--host", "127.0.0.1", "--port", "0", "--chain-id", Long.toString(chainId),
                "--slots-in-an-epoch", "1"));
        cmd.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> drain(process, port), "anvil-" + chainId + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new AnvilNode(process, port.get(20, TimeUnit.SECONDS), chainId);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("anvil did not start: " + e.getMessage(), e);
        }
    }

    private static void drain(Process process, CompletableFuture<Integer> port) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException ignored) {
            // the process is gone; nothing left to read
        }
        port.completeExceptionally(new IOException("anvil closed its output before listening"));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long chainId() {
        return chainId;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGSTOP/SIGCONT: a node that hangs without closing its socket, for timeout tests. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", sig, Long.toString(process.pid())).start().waitFor();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, 5);
    }
}
