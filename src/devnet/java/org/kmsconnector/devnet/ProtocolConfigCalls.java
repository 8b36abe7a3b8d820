package org.kmsconnector.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.KmsContextPayload;
import org.kmsconnector.chain.Uint256;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The owner's side of the ProtocolConfig mock on the Ethereum dev chain (contexts, epochs, their
 * destruction) and what its events say the KMS nodes did: confirmations and activations.
 */
public final class ProtocolConfigCalls {
    static final String NEW_KMS_CONTEXT = topic("NewKmsContext(uint256,uint256,(address,address,string,string,int32,"
            + "string,bytes,string)[],(uint256,uint256,uint256,uint256),string,(bytes,bytes,bytes)[])");
    static final String NEW_KMS_EPOCH = topic("NewKmsEpoch(uint256,uint256,uint256,uint256,uint256)");
    static final String CONTEXT_CONFIRMATION = topic("KmsContextCreationConfirmation(uint256,address,bool,bool)");
    static final String EPOCH_CONFIRMATION = topic("EpochActivationConfirmation(uint256,address,bytes32)");
    static final String ACTIVATE_EPOCH = topic("ActivateEpoch(uint256,uint256,(uint256,uint256,(uint8,bytes)[],bytes)[],"
            + "(uint256,uint256,bytes,bytes)[],string[])");

    private final DevChain chain;
    private final String protocolConfig;

    public ProtocolConfigCalls(DevChain chain, String protocolConfig) {
        this.chain = chain;
        this.protocolConfig = protocolConfig;
    }

    /** One KMS node: the connector's wallet sends, the KMS Core double's key signs. */
    public static KmsContextPayload oneNodeContext(String softwareVersion) {
        KmsContextPayload.Node node = new KmsContextPayload.Node(
                Hex.decode(DevAccounts.TX_SENDER.getAddress()), Hex.decode(DevAccounts.KMS_SIGNER.getAddress()),
                "kms-node-1.local:50100", EthereumDeployment.KMS_STORAGE_URL, 1, "kms-node-1",
                "-----BEGIN CERTIFICATE----- dev -----END CERTIFICATE-----".getBytes(StandardCharsets.UTF_8), "");
        KmsContextPayload.Pcrs pcrs = new KmsContextPayload.Pcrs(Hash.sha3("pcr0".getBytes(StandardCharsets.UTF_8)),
                Hash.sha3("pcr1".getBytes(StandardCharsets.UTF_8)), Hash.sha3("pcr2".getBytes(StandardCharsets.UTF_8)));
        return new KmsContextPayload(List.of(node), new KmsContextPayload.Thresholds(BigInteger.ONE, BigInteger.ONE,
                BigInteger.ONE, BigInteger.ZERO), softwareVersion, List.of(pcrs));
    }

    /** The first context and epoch, active at once (the connector does not store a genesis context). */
    public void defineGenesisContext(KmsContextPayload context) throws IOException {
        chain.send(protocolConfig, new Function("defineGenesisContext", context.callArguments(), List.of()));
    }

    /** defineNewKmsContextAndEpoch: emits NewKmsContext; returns the new context's id. */
    public BigInteger defineNewContext(KmsContextPayload context) throws IOException {
        return indexed(chain.send(protocolConfig, new Function("defineNewKmsContextAndEpoch", context.callArguments(),
                List.of())), NEW_KMS_CONTEXT, 1);
    }

    /** defineNewEpochForCurrentKmsContext: emits NewKmsEpoch; returns the epoch's id. */
    public BigInteger defineNewEpochForCurrentContext() throws IOException {
        return indexed(chain.send(protocolConfig, new Function("defineNewEpochForCurrentKmsContext", List.of(),
                List.of())), NEW_KMS_EPOCH, 2);
    }

    public void destroyContext(BigInteger contextId) throws IOException {
        chain.send(protocolConfig, new Function("destroyKmsContext", List.of(uint(contextId)), List.of()));
    }

    public void destroyEpoch(BigInteger epochId) throws IOException {
        chain.send(protocolConfig, new Function("destroyKmsEpoch", List.of(uint(epochId)), List.of()));
    }

    /** What a buggy or compromised chain would answer for the context's anchor. */
    public void tamperAnchor(BigInteger contextId) throws IOException {
        chain.send(protocolConfig, new Function("tamperKmsContextAnchor",
                List.of(uint(contextId), new Bytes32(Hash.sha3("tampered".getBytes(StandardCharsets.UTF_8)))),
                List.of()));
    }

    /** getCurrentKmsContextAndEpoch at latest. */
    @SuppressWarnings("rawtypes")
    public BigInteger[] current() throws IOException {
        List<Type> out = chain.call(protocolConfig, new Function("getCurrentKmsContextAndEpoch", List.of(),
                List.of(new org.web3j.abi.TypeReference<org.web3j.abi.datatypes.generated.Uint256>() {},
                        new org.web3j.abi.TypeReference<org.web3j.abi.datatypes.generated.Uint256>() {})));
        return new BigInteger[] {(BigInteger) out.get(0).getValue(), (BigInteger) out.get(1).getValue()};
    }

    @SuppressWarnings("rawtypes")
    public boolean isValidContext(BigInteger contextId) throws IOException {
        List<Type> out = chain.call(protocolConfig, new Function("isValidKmsContext", List.of(uint(contextId)),
                List.of(new org.web3j.abi.TypeReference<Bool>() {})));
        return (Boolean) out.get(0).getValue();
    }

    /** How many KMS tx senders confirmed the creation of the context. */
    public long contextConfirmations(BigInteger contextId) throws IOException {
        return logs(CONTEXT_CONFIRMATION, contextId).size();
    }

    /** The epoch opened for the context once its creation was confirmed (NewKmsEpoch). */
    public Optional<BigInteger> epochOf(BigInteger contextId) throws IOException {
        return logs(NEW_KMS_EPOCH, contextId).stream().findFirst()
                .map(l -> Uint256.fromBigEndian(Hex.decode(l.getTopics().get(2))));
    }

    public long epochConfirmations(BigInteger epochId) throws IOException {
        return logs(EPOCH_CONFIRMATION, epochId).size();
    }

    /** The ActivateEpoch log of the epoch, once every tx sender of its context confirmed it. */
    public Optional<Log> activation(BigInteger epochId) throws IOException {
        return logs(ACTIVATE_EPOCH, null).stream()
                .filter(l -> Uint256.fromBigEndian(Hex.decode(l.getTopics().get(2))).equals(epochId)).findFirst();
    }

    public String address() {
        return protocolConfig;
    }

    /** Logs of that event, with topic1 = {@code id} when one is given. */
    private List<Log> logs(String topic0, BigInteger id) throws IOException {
        return id == null ? chain.logs(protocolConfig, topic0)
                : chain.logs(protocolConfig, topic0, Hex.prefixed(Uint256.toBigEndian(id)));
    }

    private static BigInteger indexed(TransactionReceipt receipt, String topic0, int topic) throws IOException {
        for (Log log : receipt.getLogs()) {
            if (topic0.equals(log.getTopics().get(0))) {
                return Uint256.fromBigEndian(Hex.decode(log.getTopics().get(topic)));
            }
        }
        throw new IOException("no event " + topic0 + " in " + receipt.getTransactionHash());
    }

    private static org.web3j.abi.datatypes.generated.Uint256 uint(BigInteger value) {
        return new org.web3j.abi.datatypes.generated.Uint256(value);
    }

    private static String topic(String signature) {
        return Hash.sha3String(signature);
    }
}
