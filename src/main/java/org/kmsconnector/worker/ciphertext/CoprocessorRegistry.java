package org.kmsconnector.worker.ciphertext;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.kmsconnector.chain.ViewCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * The coprocessors whose S3 buckets hold the ciphertexts and whose signers may attest them, read
 * from GatewayConfig at {@code latest}. The current snapshot is immutable and replaced whole, so
 * readers never see half a refresh.
 */
public final class CoprocessorRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(CoprocessorRegistry.class);

    /**
     * @param signers lower-case 0x addresses allowed to sign attestations
     * @param bucketUrls bucket base URLs without trailing slash, in registry order, no duplicates
     * @param threshold distinct signers that must agree
     */
    public record Snapshot(Set<String> signers, List<String> bucketUrls, int threshold) {
        public Snapshot {
            // attestation signers are compared lower-case; normalise hand-built snapshots too
            signers = signers.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
            bucketUrls = List.copyOf(bucketUrls);
        }
    }

    /**
     * The {@code [s3_config]} table: a bucket used only when no coprocessor registers a URL.
     * Each part may be null or blank.
     */
    public record S3Fallback(String region, String bucket, String endpoint) {
        /** Path-style under the endpoint when one is set, else the AWS virtual-host URL. */
        public Optional<String> bucketUrl() {
            if (blank(bucket)) {
                return Optional.empty();
            }
            if (!blank(endpoint)) {
                return Optional.of(trimSlash(endpoint) + "/" + bucket);
            }
            if (blank(region)) {
                return Optional.empty();
            }
            return Optional.of("https://" + bucket + ".s3." + region + ".amazonaws.com");
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }

    private final Web3j gateway;
    private final String gatewayConfig;
    private final Optional<S3Fallback> fallback;
    private volatile Snapshot current;
    private volatile boolean usingFallback;

    public CoprocessorRegistry(Web3j gateway, String gatewayConfigAddress, Optional<S3Fallback> fallback) {
        this.gateway = gateway;
        this.gatewayConfig = gatewayConfigAddress;
        this.fallback = fallback;
    }

    /** The last good snapshot, or null before the first successful load. */
    public Snapshot snapshot() {
        return current;
    }

    /** Loads and keeps a snapshot; at start-up any failure should stop the worker. */
    public Snapshot load() throws IOException, CriticalRegistryException {
        Snapshot s = fetch();
        current = s;
        return s;
    }

    /**
     * Periodic reload. A transient failure (RPC error, no signer, no bucket) is logged and the
     * previous snapshot stays; a critical one is thrown.
     *
     * @return whether a new snapshot was installed
     */
    public boolean refresh() throws CriticalRegistryException {
        try {
            load();
            return true;
        } catch (IOException e) {
            LOG.warn("Coprocessor registry refresh failed, keeping the previous snapshot: {}", e.getMessage());
            return false;
        }
    }

    /** Reads and validates the registry without installing it. */
    public Snapshot fetch() throws IOException, CriticalRegistryException {
        List<String> signers = addresses(call(new Function("getCoprocessorSigners", List.of(),
                List.of(new TypeReference<DynamicArray<Address>>() {}))));
        List<String> txSenders = addresses(call(new Function("getCoprocessorTxSenders", List.of(),
                List.of(new TypeReference<DynamicArray<Address>>() {}))));
        BigInteger threshold = (BigInteger) call(new Function("getCoprocessorMajorityThreshold", List.of(),
                List.of(new TypeReference<Uint256>() {}))).getValue();

        LinkedHashSet<String> urls = new LinkedHashSet<>();
        for (String txSender : txSenders) {
            CoprocessorStruct c = (CoprocessorStruct) call(new Function("getCoprocessor",
                    List.of(new Address(txSender)), List.of(new TypeReference<CoprocessorStruct>() {})));
            String url = c.s3BucketUrl.getValue().trim();
            if (url.isEmpty()) {
                LOG.warn("Coprocessor {} has no S3 bucket URL; skipped", txSender);
                continue;
            }
            urls.add(trimSlash(url));
        }
        return validate(signers, new ArrayList<>(urls), threshold);
    }

    private Snapshot validate(List<String> signers, List<String> urls, BigInteger threshold)
            throws IOException, CriticalRegistryException {
        if (signers.isEmpty()) {
            throw new IOException("GatewayConfig has no coprocessor signers");
        }
        Set<String> signerSet = new LinkedHashSet<>(signers);
        if (threshold.signum() == 0 || threshold.bitLength() > 31 || threshold.intValue() > signerSet.size()) {
            throw new CriticalRegistryException("coprocessor majority threshold " + threshold
                    + " is unusable with " + signerSet.size() + " signer(s)");
        }
        if (urls.isEmpty()) {
            Optional<String> url = fallback.flatMap(S3Fallback::bucketUrl);
            if (url.isEmpty()) {
                throw new IOException("no coprocessor has an S3 bucket URL and no usable [s3_config] fallback");
            }
            if (!usingFallback) {
                LOG.warn("No coprocessor registers an S3 bucket URL; using the [s3_config] fallback {}", url.get());
            }
            usingFallback = true;
            urls = List.of(url.get());
        } else {
            usingFallback = false;
        }
        return new Snapshot(signerSet, urls, threshold.intValue());
    }

    @SuppressWarnings("rawtypes")
    private Type call(Function function) throws IOException {
        String where = "GatewayConfig " + gatewayConfig;
        EthCall result;
        try {
            result = gateway.ethCall(Transaction.createEthCallTransaction(null, gatewayConfig,
                    FunctionEncoder.encode(function)), DefaultBlockParameterName.LATEST).send();
        } catch (IOException | RuntimeException e) { // web3j reports some transport failures unchecked
            throw ViewCalls.failure(function, where, e.getMessage());
        }
        return ViewCalls.outputs(function, result, where).get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<String> addresses(Type<?> array) {
        List<String> out = new ArrayList<>();
        for (Address a : ((DynamicArray<Address>) array).getValue()) {
            out.add(a.getValue().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    static String trimSlash(String url) {
        String s = url;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** GatewayConfig's Coprocessor struct (txSenderAddress, signerAddress, s3BucketUrl). */
    public static final class CoprocessorStruct extends DynamicStruct {
        final Utf8String s3BucketUrl;

        public CoprocessorStruct(Address txSender, Address signer, Utf8String s3BucketUrl) {
            super(txSender, signer, s3BucketUrl);
            this.s3BucketUrl = s3BucketUrl;
        }
    }
}
