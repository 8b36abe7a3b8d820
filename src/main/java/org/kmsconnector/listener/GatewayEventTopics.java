package org.kmsconnector.listener;

import java.util.List;
import java.util.Set;

/** topic0 of the Decryption events: the ones the listener stores and the deprecated ones it knowingly skips. */
public final class GatewayEventTopics {
    /** D1 PublicDecryptionRequest(uint256,bytes32[],bytes) */
    public static final String PUBLIC_DECRYPTION_REQUEST =
            "0x9bb088a53f1fe13ec84fa0a1d7b578b589e193268baaccc5e23f7ab785aa3dae";
    /** D2 UserDecryptionRequest(uint256,bytes32[],address,bytes,bytes): legacy and delegated */
    public static final String USER_DECRYPTION_REQUEST =
            "0xc71e32c80f3109c673a9adfcded0b3b2093212ab284084a0e03a281dee2bdd5f";
    /**
     * D3 UserDecryptionRequest(uint256,(bytes32,address,address)[],
     * (address,bytes,address[],(uint256,uint256),bytes,bytes)): unified EIP-712 (RFC016)
     */
    public static final String UNIFIED_USER_DECRYPTION_REQUEST =
            "0x8ed4fab8b1d050676cd7d7d9fa448d5d22113375fab8ad4dc690e54593c527bf";

    /** Dual-emitted SnsCiphertextMaterial variants of v0.14: recognised and ignored, never errors. */
    public static final Set<String> DEPRECATED = Set.of(
            "0x22db480a39bd72556438aadb4a32a3d2a6638b87c03bbec5fef6997e109587ff",
            "0xf9011bd6ba0da6049c520d70fe5971f17ed7ab795486052544b51019896c596b",
            "0x1f80a47b51979837976f999a7735fdccbbe570e0d40081644ec88f8ed76c9612");

    /** What eth_getLogs asks for (OR of topic0s). */
    public static final List<String> SUBSCRIBED =
            List.of(PUBLIC_DECRYPTION_REQUEST, USER_DECRYPTION_REQUEST, UNIFIED_USER_DECRYPTION_REQUEST);

    private GatewayEventTopics() {}
}
