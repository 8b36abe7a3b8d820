package org.kmsconnector.testsupport;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.ContractArtifact;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.devnet.EthereumDeployment;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A ProtocolConfigMock of its own on the shared anvil, whose answers a test sets, and a client
 * that records every JSON-RPC request so a test can tell "answered from the cache" from
 * "asked the chain". The connector reads ProtocolConfig at the finalized block, which on anvil
 * trails latest by 64 blocks: {@link #finalizeState()} mines past them after each change.
 */
public final class ProtocolConfigChain implements AutoCloseable {
    private final DevChain chain;
    private final String address;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Web3j recording;

    private ProtocolConfigChain(DevChain chain, String address, String url) {
        this.chain = chain;
        this.address = address;
        OkHttpClient http = new OkHttpClient.Builder().addInterceptor(c -> {
            Buffer body = new Buffer();
            if (c.request().body() != null) {
                c.request().body().writeTo(body);
            }
            requests.add(body.readUtf8());
            return c.proceed(c.request());
        }).build();
        this.recording = Web3j.build(new HttpService(url, http));
    }

    public static ProtocolConfigChain deploy() throws Exception {
        AnvilNode anvil = TestInfra.anvil();
        DevChain chain = new DevChain(anvil.url(), anvil.chainId(), DevAccounts.DEPLOYER);
        ProtocolConfigChain deployed = new ProtocolConfigChain(chain,
                chain.deploy(ContractArtifact.load("ProtocolConfigMock")), anvil.url());
        deployed.finalizeState(); // a live ProtocolConfig is long final; only the answers set later may lag
        return deployed;
    }

    public String address() {
        return address;
    }

    /** The client the code under test uses; it records what it is asked. */
    public Web3j client() {
        return recording;
    }

    /** eth_calls made through {@link #client()} so far whose calldata starts with {@code selector} (8 hex digits). */
    public long callsTo(String selector) {
        return requests.stream().filter(r -> r.contains("\"eth_call\"") && r.contains("0x" + selector)).count();
    }

    public long ethCalls() {
        return requests.stream().filter(r -> r.contains("\"eth_call\"")).count();
    }

    public void setCurrent(long context, long epoch) throws IOException {
        chain.send(address, new Function("setCurrentKmsContextAndEpoch", List.of(uint(context), uint(epoch)),
                List.of()));
    }

    public void setCurrent(BigInteger context, BigInteger epoch) throws IOException {
        chain.send(address, new Function("setCurrentKmsContextAndEpoch",
                List.of(new Uint256(context), new Uint256(epoch)), List.of()));
    }

    public void setContextValid(long context, boolean valid) throws IOException {
        chain.send(address, new Function("setKmsContextValidity", List.of(uint(context), new Bool(valid)), List.of()));
    }

    public void setEpochValid(BigInteger context, BigInteger epoch, boolean valid) throws IOException {
        chain.send(address, new Function("setEpochValidity",
                List.of(new Uint256(context), new Uint256(epoch), new Bool(valid)), List.of()));
    }

    public void destroyContext(long context) throws IOException {
        chain.send(address, new Function("destroyKmsContext", List.of(uint(context)), List.of()));
    }

    public long blockNumber() throws IOException {
        return chain.blockNumber();
    }

    /** Mines enough empty blocks for everything sent so far to be in the finalized block. */
    public void finalizeState() throws IOException {
        chain.mine(EthereumDeployment.FINALITY_DEPTH + 1);
    }

    private static Uint256 uint(long v) {
        return new Uint256(BigInteger.valueOf(v));
    }

    @Override
    public void close() {
        recording.shutdown();
        chain.close();
    }
}
