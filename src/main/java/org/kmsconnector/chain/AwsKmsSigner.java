package org.kmsconnector.chain;

import java.math.BigInteger;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * A wallet whose key never leaves AWS KMS (key spec ECC_SECG_P256K1, usage SIGN_VERIFY).
 *
 * <p>At construction it reads the public key ({@code GetPublicKey}) and derives the address. Each
 * transaction is signed by asking KMS to sign the keccak256 signing hash itself
 * ({@code MessageType.DIGEST}, {@code ECDSA_SHA_256}: with DIGEST, KMS does not hash again). KMS
 * returns a DER signature whose s may be in the upper half of the order, so s is normalised, and
 * KMS gives no recovery id, so both parities are tried against the public key. (web3j's own KMS
 * signer hashes the digest once more with SHA-256 and skips the low-s step: its signatures belong
 * to another message, which is why it is not used.)
 */
public final class AwsKmsSigner implements TxSigner, AutoCloseable {
    private final KmsClient kms;
    private final String keyId;
    private final BigInteger publicKey;
    private final String address;

    private AwsKmsSigner(KmsClient kms, String keyId, BigInteger publicKey) {
        this.kms = kms;
        this.keyId = keyId;
        this.publicKey = publicKey;
        this.address = "0x" + Keys.getAddress(publicKey);
    }

    /** Reads the key's public half; fails with a clear message when the key cannot sign for Ethereum. */
    public static AwsKmsSigner connect(KmsClient kms, String keyId) {
        GetPublicKeyResponse key;
        try {
            key = kms.getPublicKey(b -> b.keyId(keyId));
        } catch (SdkException e) {
            throw new IllegalStateException("AWS KMS GetPublicKey of key " + keyId + " failed: " + describe(e), e);
        }
        if (key.keyUsage() != null && key.keyUsage() != KeyUsageType.SIGN_VERIFY
                && key.keyUsage() != KeyUsageType.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalStateException("AWS KMS key " + keyId + " has usage " + key.keyUsageAsString()
                    + "; the wallet needs SIGN_VERIFY");
        }
        if (key.publicKey() == null) {
            throw new IllegalStateException("AWS KMS GetPublicKey of key " + keyId + " returned no public key");
        }
        try {
            return new AwsKmsSigner(kms, keyId, Secp256k1.publicKeyFromSpki(key.publicKey().asByteArray()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("AWS KMS key " + keyId + " (key spec " + key.keySpecAsString()
                    + ") cannot sign Ethereum transactions: " + e.getMessage(), e);
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public byte[] sign(RawTransaction tx, long chainId) {
        if (tx.getType().isLegacy()) {
            byte[] digest = Hash.sha3(TransactionEncoder.encode(tx, chainId));
            return TransactionEncoder.encode(tx, TransactionEncoder.createEip155SignatureData(signDigest(digest), chainId));
        }
        // typed transactions carry their chain id inside; the signature holds the parity only
        byte[] digest = Hash.sha3(TransactionEncoder.encode(tx));
        return TransactionEncoder.encode(tx, signDigest(digest));
    }

    /** Signs a 32-byte hash as is; v = 27 + recovery id. */
    public Sign.SignatureData signDigest(byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a digest is 32 bytes, got " + digest.length);
        }
        SignResponse signed;
        try {
            signed = kms.sign(b -> b.keyId(keyId).message(SdkBytes.fromByteArray(digest))
                    .messageType(MessageType.DIGEST).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
        } catch (SdkException e) {
            throw new IllegalStateException("AWS KMS Sign with key " + keyId + " failed: " + describe(e), e);
        }
        ECDSASignature sig = Secp256k1.fromDer(signed.signature().asByteArray());
        return Secp256k1.withRecoveryId(sig, digest, publicKey);
    }

    /** The SDK's message names the error code and request id; it carries no credentials. */
    private static String describe(SdkException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    @Override
    public void close() {
        kms.close();
    }

    @Override
    public String toString() {
        return "AwsKmsSigner[" + keyId + ", " + address + "]";
    }
}
