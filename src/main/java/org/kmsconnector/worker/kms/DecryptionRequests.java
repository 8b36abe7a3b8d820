package org.kmsconnector.worker.kms;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.List;
import org.kmsconnector.chain.ExtraData;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.kms.v1.CiphertextFormat;
import org.kmsconnector.kms.v1.Eip712DomainMsg;
import org.kmsconnector.kms.v1.PublicDecryptionRequest;
import org.kmsconnector.kms.v1.RequestId;
import org.kmsconnector.kms.v1.TypedCiphertext;
import org.kmsconnector.kms.v1.UserDecryptionRequest;
import org.web3j.crypto.Keys;

/**
 * Builds the decryption requests exactly as kms-grpc.md §6 describes them. Only message fields
 * with a value are set (proto3 presence), so context/epoch ids stay absent for legacy extraData.
 */
public final class DecryptionRequests {
    private DecryptionRequests() {}

    /** The EIP-712 domain the KMS signs its response under. */
    public record Domain(String name, String version, long chainId, String verifyingContract) {
        public Eip712DomainMsg toMsg() {
            return Eip712DomainMsg.newBuilder()
                    .setName(name)
                    .setVersion(version)
                    .setChainId(ByteString.copyFrom(Uint256.toBigEndian(BigInteger.valueOf(chainId))))
                    // the core parses this with a checksum-validating parser
                    .setVerifyingContract(checksummed(verifyingContract))
                    .build();
        }
    }

    /**
     * One fetched ciphertext: its handle, the S3 bytes, the FHE type from the handle and the
     * attested storage format (RFC-023 codes).
     */
    public record Ciphertext(byte[] handle, byte[] ciphertext, int fheType, int attestedFormat) {
        TypedCiphertext toMsg() {
            return TypedCiphertext.newBuilder()
                    .setCiphertext(ByteString.copyFrom(ciphertext))
                    .setFheType(fheType)
                    .setExternalHandle(ByteString.copyFrom(handle))
                    .setCiphertextFormat(format(attestedFormat))
                    .build();
        }
    }

    /** Attested format code → gRPC format: 10/20 uncompressed (CPU/GPU), 11/21 compressed. */
    public static CiphertextFormat format(int attestedFormat) {
        return switch (attestedFormat) {
            case 10, 20 -> CiphertextFormat.BigExpanded;
            case 11, 21 -> CiphertextFormat.BigCompressed;
            default -> throw new IllegalArgumentException("unknown ciphertext format " + attestedFormat);
        };
    }

    public static PublicDecryptionRequest publicDecryption(
            BigInteger decryptionId, List<Ciphertext> cts, BigInteger keyId, Domain domain, byte[] extraData) {
        requireCiphertexts(cts);
        ExtraData parsed = ExtraData.parse(extraData);
        PublicDecryptionRequest.Builder b = PublicDecryptionRequest.newBuilder()
                .setRequestId(requestId(decryptionId))
                .setKeyId(requestId(keyId))
                .setDomain(domain.toMsg())
                .setExtraData(ByteString.copyFrom(ExtraData.forKmsDecryption(extraData)));
        cts.forEach(ct -> b.addCiphertexts(ct.toMsg()));
        parsed.contextId().ifPresent(id -> b.setContextId(requestId(id)));
        parsed.epochId().ifPresent(id -> b.setEpochId(requestId(id)));
        return b.build();
    }

    public static UserDecryptionRequest userDecryption(
            BigInteger decryptionId, List<Ciphertext> cts, BigInteger keyId, Domain domain, byte[] extraData,
            String clientAddress, byte[] encKey) {
        requireCiphertexts(cts);
        ExtraData parsed = ExtraData.parse(extraData);
        UserDecryptionRequest.Builder b = UserDecryptionRequest.newBuilder()
                .setRequestId(requestId(decryptionId))
                .setKeyId(requestId(keyId))
                .setClientAddress(checksummed(clientAddress))
                .setEncKey(ByteString.copyFrom(encKey))
                .setDomain(domain.toMsg())
                .setExtraData(ByteString.copyFrom(ExtraData.forKmsDecryption(extraData)));
        cts.forEach(ct -> b.addTypedCiphertexts(ct.toMsg()));
        parsed.contextId().ifPresent(id -> b.setContextId(requestId(id)));
        parsed.epochId().ifPresent(id -> b.setEpochId(requestId(id)));
        return b.build();
    }

    public static RequestId requestId(BigInteger id) {
        return RequestId.newBuilder().setRequestId(Uint256.toRequestId(id)).build();
    }

    /** "0x" + EIP-55 form of a 20-byte address given in any case, with or without 0x. */
    public static String checksummed(String address) {
        String bare = address.startsWith("0x") || address.startsWith("0X") ? address.substring(2) : address;
        if (!bare.matches("[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("not a 20-byte hex address: " + address);
        }
        return Keys.toChecksumAddress(bare);
    }

    // The core rejects an empty list, and the worker fails such an event before any call.
    private static void requireCiphertexts(List<Ciphertext> cts) {
        if (cts == null || cts.isEmpty()) {
            throw new IllegalArgumentException("a decryption request needs at least one ciphertext");
        }
    }
}
