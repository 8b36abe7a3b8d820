package org.kmsconnector.devnet;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.regex.Pattern;
import org.kmsconnector.kms.v1.Eip712DomainMsg;
import org.kmsconnector.kms.v1.RequestId;
import org.kmsconnector.kms.v1.TypedCiphertext;
import org.web3j.crypto.Keys;

/**
 * The request checks of the real core that catch connector bugs (kms-grpc.md §10.3), each
 * failing with INVALID_ARGUMENT. Deliberately stricter in one point: ids must be exactly what
 * the connector sends (64 lower-case hex), where the core would also take "0x" and upper case.
 */
final class CoreDoubleChecks {
    private static final Pattern REQUEST_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    private CoreDoubleChecks() {}

    static String requireId(boolean present, RequestId id, String what) {
        if (!present) {
            throw invalid(what + " is missing");
        }
        return requireId(id.getRequestId(), what);
    }

    static String requireId(String id, String what) {
        if (!REQUEST_ID.matcher(id).matches()) {
            throw invalid(what + " must be 64 lower-case hex characters");
        }
        return id;
    }

    static void optionalId(boolean present, RequestId id, String what) {
        if (present) {
            requireId(id.getRequestId(), what);
        }
    }

    static void requireDomain(boolean present, Eip712DomainMsg domain) {
        if (!present) {
            throw invalid("EIP-712 domain is missing");
        }
        if (domain.getChainId().size() != 32) {
            throw invalid("domain chain_id must be 32 bytes, got " + domain.getChainId().size());
        }
        requireChecksummed(domain.getVerifyingContract(), "domain verifying_contract");
    }

    static void requireChecksummed(String address, String what) {
        if (!ADDRESS.matcher(address).matches() || !Keys.toChecksumAddress(address).equals(address)) {
            throw invalid(what + " must be a 0x EIP-55 checksummed address");
        }
    }

    static void requireCiphertexts(List<TypedCiphertext> cts) {
        if (cts.isEmpty()) {
            throw invalid("no ciphertexts");
        }
        for (TypedCiphertext ct : cts) {
            // the response signature hashes the handles as bytes32
            if (ct.getExternalHandle().size() != 32) {
                throw invalid("external_handle must be 32 bytes");
            }
        }
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
