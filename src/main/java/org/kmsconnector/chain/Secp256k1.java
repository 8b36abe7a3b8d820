package org.kmsconnector.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Sign;

/**
 * The secp256k1 conversions a remote signer needs: a DER SubjectPublicKeyInfo to the 64-byte
 * public key web3j uses, a DER ECDSA signature to (r, s) with s in the lower half of the order
 * (Ethereum rejects the upper half), and the recovery id found by trying both candidates.
 */
public final class Secp256k1 {
    public static final BigInteger N = Sign.CURVE_PARAMS.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1() {}

    /** The uncompressed point (x ‖ y, 64 bytes as a number) of a DER SubjectPublicKeyInfo holding a secp256k1 key. */
    public static BigInteger publicKeyFromSpki(byte[] der) {
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("public key is not a DER SubjectPublicKeyInfo: " + e.getMessage());
        }
        AlgorithmIdentifier algorithm = spki.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            throw new IllegalArgumentException("public key is not an EC key (algorithm " + algorithm.getAlgorithm() + ")");
        }
        ASN1Encodable params = algorithm.getParameters();
        if (!(params instanceof ASN1ObjectIdentifier curve) || !SECObjectIdentifiers.secp256k1.equals(curve)) {
            throw new IllegalArgumentException("public key is not on secp256k1 (curve " + params
                    + "); the key spec must be ECC_SECG_P256K1");
        }
        ECPoint point;
        try {
            point = Sign.CURVE_PARAMS.getCurve().decodePoint(spki.getPublicKeyData().getBytes()).normalize();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("public key point does not decode: " + e.getMessage());
        }
        if (point.isInfinity() || !point.isValid()) {
            throw new IllegalArgumentException("public key point is not a valid secp256k1 point");
        }
        byte[] encoded = point.getEncoded(false); // 0x04 ‖ x ‖ y
        return new BigInteger(1, Arrays.copyOfRange(encoded, 1, encoded.length));
    }

    /** (r, s) of a DER ECDSA-Sig-Value, with s normalised to the lower half of the curve order. */
    public static ECDSASignature fromDer(byte[] der) {
        BigInteger r;
        BigInteger s;
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            if (seq.size() != 2) {
                throw new IllegalArgumentException("expected 2 integers, got " + seq.size());
            }
            r = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
            s = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("signature is not a DER ECDSA signature: " + e.getMessage());
        }
        if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
            throw new IllegalArgumentException("signature values out of range");
        }
        return new ECDSASignature(r, lowS(s));
    }

    static BigInteger lowS(BigInteger s) {
        return s.compareTo(HALF_N) > 0 ? N.subtract(s) : s;
    }

    /**
     * The signature with v = 27 + recovery id, the id being the one under which {@code digest}
     * recovers {@code publicKey}.
     */
    public static Sign.SignatureData withRecoveryId(ECDSASignature sig, byte[] digest, BigInteger publicKey) {
        for (int recId = 0; recId < 2; recId++) {
            BigInteger recovered = Sign.recoverFromSignature(recId, sig, digest);
            if (publicKey.equals(recovered)) {
                return new Sign.SignatureData((byte) (27 + recId), Uint256.toBigEndian(sig.r), Uint256.toBigEndian(sig.s));
            }
        }
        throw new IllegalStateException("the signature recovers to neither parity for the wallet's public key");
    }
}
