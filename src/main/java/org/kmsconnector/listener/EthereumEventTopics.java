package org.kmsconnector.listener;

import java.util.List;
import org.kmsconnector.chain.ProtocolConfigTopics;

/** topic0 of the Ethereum events (contracts.md §6.1, §7.1): KMSGeneration's K1-K5, ProtocolConfig's P1-P4. */
public final class EthereumEventTopics {
    /** K1 PrepKeygenRequest(uint256,uint8,bytes) */
    public static final String PREP_KEYGEN_REQUEST =
            "0xfbf5274810b94f86970c1147e8ffaebed246ee9777d695a69004dc6256d1fe91";
    /** K2 KeygenRequest(uint256,uint256,bytes) */
    public static final String KEYGEN_REQUEST = "0x3a116120cca5d4f073cc1fc31ff26133ab7b0499f2712fa010023b87d5a1f9ee";
    /** K3 CrsgenRequest(uint256,uint256,uint8,bytes) */
    public static final String CRSGEN_REQUEST = "0x8cf0151393f84fd694c5e315cb74cc05b247de0a454fd9e9129c661efdf9401d";
    /** K4 AbortKeygen(uint256) */
    public static final String ABORT_KEYGEN = "0x2b087b884b35a81d769d1a1e092880f1da56de964e4b339eabcb1f45f5fe3264";
    /** K5 AbortCrsgen(uint256) */
    public static final String ABORT_CRSGEN = "0x384f90fefbcfaa68f22e00094aeaa52b2bc693936d2ce1afed1212520b59b58e";
    public static final String NEW_KMS_CONTEXT = ProtocolConfigTopics.NEW_KMS_CONTEXT;
    public static final String NEW_KMS_EPOCH = ProtocolConfigTopics.NEW_KMS_EPOCH;
    public static final String KMS_CONTEXT_DESTROYED = ProtocolConfigTopics.KMS_CONTEXT_DESTROYED;
    public static final String KMS_EPOCH_DESTROYED = ProtocolConfigTopics.KMS_EPOCH_DESTROYED;

    public static final List<String> KMS_GENERATION =
            List.of(PREP_KEYGEN_REQUEST, KEYGEN_REQUEST, CRSGEN_REQUEST, ABORT_KEYGEN, ABORT_CRSGEN);
    public static final List<String> PROTOCOL_CONFIG =
            List.of(NEW_KMS_CONTEXT, NEW_KMS_EPOCH, KMS_CONTEXT_DESTROYED, KMS_EPOCH_DESTROYED);
    /** What the Ethereum eth_getLogs asks for (OR of topic0s). */
    public static final List<String> SUBSCRIBED = List.of(PREP_KEYGEN_REQUEST, KEYGEN_REQUEST, CRSGEN_REQUEST,
            ABORT_KEYGEN, ABORT_CRSGEN, NEW_KMS_CONTEXT, NEW_KMS_EPOCH, KMS_CONTEXT_DESTROYED, KMS_EPOCH_DESTROYED);

    private EthereumEventTopics() {}
}
