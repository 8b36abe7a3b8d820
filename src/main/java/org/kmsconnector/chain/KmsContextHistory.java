package org.kmsconnector.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The definition of an earlier KMS context, rebuilt from chain data (contracts.md §7.3): its anchor
 * on ProtocolConfig says in which block it was defined and the hash of what was defined; the
 * NewKmsContext log of that block must hash to it. The worker needs it to tell the KMS Core about
 * the committee a new context reshares from.
 */
public final class KmsContextHistory {
    /** The chain's answers do not match: the anchor and the log disagree, or there is no anchor. Never retried. */
    public static final class Mismatch extends Exception {
        public Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private final Web3j ethereum;
    private final ProtocolConfigViews protocolConfig;

    public KmsContextHistory(Web3j ethereum, ProtocolConfigViews protocolConfig) {
        this.ethereum = ethereum;
        this.protocolConfig = protocolConfig;
    }

    /**
     * @throws IOException when a call fails or the log is not (yet) served: worth another attempt
     * @throws Mismatch when the chain's data contradicts itself
     */
    public KmsContextPayload definition(BigInteger contextId) throws IOException, Mismatch {
        ProtocolConfigViews.Anchor anchor = protocolConfig.kmsContextAnchor(contextId);
        if (!anchor.known()) {
            throw new Mismatch("ProtocolConfig " + protocolConfig.address() + " has no anchor for KMS context "
                    + contextId);
        }
        DefaultBlockParameter block = DefaultBlockParameter.valueOf(anchor.emissionBlockNumber());
        EthFilter filter = new EthFilter(block, block, protocolConfig.address())
                .addSingleTopic(ProtocolConfigTopics.NEW_KMS_CONTEXT)
                .addSingleTopic(Hex.prefixed(Uint256.toBigEndian(contextId)));
        EthLog reply = ethereum.ethGetLogs(filter).send();
        if (reply.hasError()) {
            throw new IOException("eth_getLogs for NewKmsContext " + contextId + " at block "
                    + anchor.emissionBlockNumber() + " failed: " + reply.getError().getMessage());
        }
        List<Log> logs = reply.getLogs().stream().map(r -> (Log) r.get()).toList();
        if (logs.size() != 1) {
            throw new IOException("block " + anchor.emissionBlockNumber() + " has " + logs.size()
                    + " NewKmsContext logs of context " + contextId + " on " + protocolConfig.address()
                    + " (expected 1)");
        }
        byte[] data = Hex.decode(logs.get(0).getData());
        // the event's data is abi.encode(kmsNodeParams, thresholds, softwareVersion, pcrValues): what the anchor hashes
        if (!Arrays.equals(Hash.sha3(data), anchor.contextInfoHash())) {
            throw new Mismatch("the NewKmsContext log of context " + contextId + " at block "
                    + anchor.emissionBlockNumber() + " does not match its anchor on ProtocolConfig "
                    + protocolConfig.address() + " (hash " + Hex.prefixed(Hash.sha3(data)) + ", anchor "
                    + Hex.prefixed(anchor.contextInfoHash()) + ")");
        }
        try {
            return KmsContextPayload.fromEventData(data);
        } catch (IllegalArgumentException e) {
            throw new Mismatch("the NewKmsContext log of context " + contextId + " does not decode: " + e.getMessage());
        }
    }
}
