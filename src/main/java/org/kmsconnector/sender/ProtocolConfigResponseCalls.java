package org.kmsconnector.sender;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.db.Operations;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;

/** The two ProtocolConfig calls the tx-sender makes on Ethereum (contracts.md §7.2). */
public final class ProtocolConfigResponseCalls {
    /** confirmKmsContextCreation(uint256) */
    public static final String CONFIRM_CONTEXT_SELECTOR = "0xd9be2de4";
    /** confirmEpochActivation(uint256,(uint256,uint256,(uint8,bytes)[],bytes)[],(uint256,uint256,bytes,bytes)[]) */
    public static final String CONFIRM_EPOCH_SELECTOR = "0x4cb950e1";
    private static final int WORD = 32;

    private ProtocolConfigResponseCalls() {}

    public static ResponseCall confirmContext(ChainSender ethereum, String protocolConfig) {
        return new ResponseCall(Operations.NEW_KMS_CONTEXT, ethereum, protocolConfig,
                row -> confirmKmsContextCreation(row.id()));
    }

    public static ResponseCall confirmEpoch(ChainSender ethereum, String protocolConfig) {
        return new ResponseCall(Operations.NEW_KMS_EPOCH, ethereum, protocolConfig,
                row -> confirmEpochActivation(row.id(), row.bytes("keys"), row.bytes("crs_list")));
    }

    @SuppressWarnings("rawtypes")
    public static byte[] confirmKmsContextCreation(BigInteger contextId) {
        return Hex.decode(FunctionEncoder.encode(new Function("confirmKmsContextCreation",
                List.<Type>of(new org.web3j.abi.datatypes.generated.Uint256(contextId)), List.of())));
    }

    /**
     * The stored columns are abi.encode(EpochKeyResult[]) and abi.encode(EpochCrsResult[]): each
     * an offset word, then the array, whose inner offsets are relative to the array. So the
     * calldata is the epoch id, the two arrays' offsets, and the arrays as stored.
     *
     * @throws IllegalArgumentException naming the column when one is not a single encoded array
     */
    public static byte[] confirmEpochActivation(BigInteger epochId, byte[] keysAbi, byte[] crsListAbi) {
        byte[] keys = arrayOf(keysAbi, "keys");
        byte[] crsList = arrayOf(crsListAbi, "crs_list");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Hex.decode(CONFIRM_EPOCH_SELECTOR));
        out.writeBytes(Uint256.toBigEndian(epochId));
        out.writeBytes(Uint256.toBigEndian(BigInteger.valueOf(3 * WORD)));
        out.writeBytes(Uint256.toBigEndian(BigInteger.valueOf(3L * WORD + keys.length)));
        out.writeBytes(keys);
        out.writeBytes(crsList);
        return out.toByteArray();
    }

    /** abi.encode(array) → the array's own encoding (count, then elements). */
    private static byte[] arrayOf(byte[] encoded, String column) {
        if (encoded.length < 2 * WORD || encoded.length % WORD != 0
                || !new BigInteger(1, Arrays.copyOf(encoded, WORD)).equals(BigInteger.valueOf(WORD))) {
            throw new IllegalArgumentException(column + " is not an ABI-encoded array (" + encoded.length + " bytes)");
        }
        return Arrays.copyOfRange(encoded, WORD, encoded.length);
    }
}
