package org.kmsconnector.sender;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.kms.v1.CrsGenResult;
import org.kmsconnector.kms.v1.EpochResultResponse;
import org.kmsconnector.kms.v1.KeyGenResult;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.EpochResults;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calldata of the ProtocolConfig confirmations: the spec's selectors, the stored arrays spliced in as web3j encodes them. */
class ProtocolConfigResponseCallsTest {
    private static final BigInteger EPOCH = BigInteger.valueOf(8).shiftLeft(248).add(BigInteger.TWO);

    @Test
    void confirmKmsContextCreationHasTheContractsSelector() {
        byte[] calldata = ProtocolConfigResponseCalls.confirmKmsContextCreation(BigInteger.TEN);
        assertEquals(ProtocolConfigResponseCalls.CONFIRM_CONTEXT_SELECTOR, Hex.prefixed(Arrays.copyOf(calldata, 4)));
        assertEquals(4 + 32, calldata.length);
    }

    @Test
    void confirmEpochActivationIsTheEncodingOfTheSameValues() {
        byte[] sig = new byte[65];
        Arrays.fill(sig, (byte) 3);
        EpochResultResponse reply = EpochResultResponse.newBuilder()
                .addReshareResponses(key(1, "CompressedXofKeySet", sig))
                .addReshareResponses(key(2, "ServerKey", sig))
                .addCrsResponses(CrsGenResult.newBuilder().setRequestId(DecryptionRequests.requestId(BigInteger.TEN))
                        .setMaxNumBits(256).setCrsDigest(ByteString.copyFrom(new byte[] {4, 4}))
                        .setExternalSignature(ByteString.copyFrom(sig)))
                .build();
        byte[] spliced = ProtocolConfigResponseCalls.confirmEpochActivation(EPOCH, EpochResults.keysAbi(reply),
                EpochResults.crsListAbi(reply));

        DynamicStruct k1 = new DynamicStruct(new Uint256(100), new Uint256(1), new DynamicArray<>(DynamicStruct.class,
                new DynamicStruct(new Uint8(3), new DynamicBytes(new byte[] {1}))), new DynamicBytes(sig));
        DynamicStruct k2 = new DynamicStruct(new Uint256(100), new Uint256(2), new DynamicArray<>(DynamicStruct.class,
                new DynamicStruct(new Uint8(0), new DynamicBytes(new byte[] {2}))), new DynamicBytes(sig));
        DynamicStruct crs = new DynamicStruct(new Uint256(10), new Uint256(256), new DynamicBytes(new byte[] {4, 4}),
                new DynamicBytes(sig));
        String expected = FunctionEncoder.encode(new Function("confirmEpochActivation", List.of(new Uint256(EPOCH),
                new DynamicArray<>(DynamicStruct.class, k1, k2), new DynamicArray<>(DynamicStruct.class, crs)),
                List.of()));
        assertArrayEquals(Hex.decode(expected), spliced);
        assertTrue(expected.startsWith(ProtocolConfigResponseCalls.CONFIRM_EPOCH_SELECTOR));
    }

    @Test
    void aColumnThatIsNotAnEncodedArrayIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProtocolConfigResponseCalls.confirmEpochActivation(EPOCH, new byte[64], new byte[64]));
        assertTrue(e.getMessage().startsWith("keys "), e.getMessage());
    }

    private static KeyGenResult.Builder key(int id, String type, byte[] sig) {
        return KeyGenResult.newBuilder().setRequestId(DecryptionRequests.requestId(BigInteger.valueOf(id)))
                .setPreprocessingId(DecryptionRequests.requestId(BigInteger.valueOf(100)))
                .addKeyDigests(org.kmsconnector.kms.v1.KeyDigest.newBuilder().setKeyType(type)
                        .setDigest(ByteString.copyFrom(new byte[] {(byte) id})))
                .setExternalSignature(ByteString.copyFrom(sig));
    }
}
