package org.kmsconnector.chain;

/** topic0 of ProtocolConfig's P1-P4 (contracts.md §7.1): read by the gw-listener and, for a few checks, the kms-worker. */
public final class ProtocolConfigTopics {
    /** P1 NewKmsContext(uint256 indexed,uint256 indexed,KmsNodeParams[],KmsThresholds,string,PcrValues[]) */
    public static final String NEW_KMS_CONTEXT = "0x204d6b80121154cd87d99cf54c639a3dd0a53b3084277098de972ebdd34c6be9";
    /** P2 NewKmsEpoch(uint256 indexed,uint256 indexed,uint256,uint256,uint256) */
    public static final String NEW_KMS_EPOCH = "0x15aaaf475ef407543f5164f57dcf57f7f93816f55bae77ca09efc445ba40eef7";
    /** P3 KmsContextDestroyed(uint256 indexed) */
    public static final String KMS_CONTEXT_DESTROYED =
            "0xda075d09198d207e3a918d4b8dfc87df2d60a00be703fd39eaac90962da0b7f0";
    /** P4 KmsEpochDestroyed(uint256 indexed) */
    public static final String KMS_EPOCH_DESTROYED =
            "0x03436013075f8d1abb1781dbcaf418fc76fc797d1ab51c38664c1a51f3cd57f9";

    private ProtocolConfigTopics() {}
}
