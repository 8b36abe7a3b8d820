package org.kmsconnector.sender;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every custom error of the four contracts the tx-sender calls (Decryption, GatewayConfig,
 * KMSGeneration, ProtocolConfig, with their inherited OpenZeppelin errors): selector to
 * signature, from contracts.md Appendix B. A revert with one of these means the contract refused
 * the response for good, so retrying would only burn gas.
 */
public final class ContractErrors {
    private static final Map<String, String> BY_SELECTOR = new LinkedHashMap<>();

    static {
        add(
            "0xdf0db5fb", "AbortCrsgenAlreadyDone(uint256)",
            "0xcbe92656", "AbortCrsgenInvalidId(uint256)",
            "0x92789b67", "AbortKeygenAlreadyDone(uint256)",
            "0xfcf2db7a", "AbortKeygenInvalidId(uint256)",
            "0x9996b315", "AddressEmptyCode(address)",
            "0x547b8e4b", "AllGatewayContractsAlreadyPaused()",
            "0x7aa26d10", "AllGatewayContractsAlreadyUnpaused()",
            "0x4178de42", "ChainIdNotUint64(uint256)",
            "0xaf1f0495", "ContractAddressesMaxLengthExceeded(uint256,uint256)",
            "0xa4c30391", "ContractNotInContractAddresses(address,address[])",
            "0x0131b5e9", "CoprocessorSignerAlreadyRegistered(address)",
            "0xe134bf62", "CoprocessorSignerDoesNotMatchTxSender(address,address)",
            "0xbd7cb881", "CoprocessorTxSenderAlreadyRegistered(address)",
            "0xd5fd3cd7", "CrsAborted(uint256)",
            "0xda32d00f", "CrsNotGenerated(uint256)",
            "0x8d8c940a", "CrsgenNotRequested(uint256)",
            "0x061ac61d", "CrsgenOngoing(uint256)",
            "0x9590e916", "CtHandleChainIdDiffersFromContractChainId(bytes32,uint256,uint256)",
            "0x4595fce2", "CurrentKmsContextCannotBeDestroyed(uint256)",
            "0x3bb99e22", "CustodianSignerAlreadyRegistered(address)",
            "0x6da57f99", "CustodianTxSenderAlreadyRegistered(address)",
            "0xabb5f486", "DecryptionContextMismatch(uint256,uint256,uint256)",
            "0xd48af942", "DecryptionNotRequested(uint256)",
            "0xc3446ac7", "DelegatorAddressInContractAddresses(address,address[])",
            "0x8b248b60", "DeserializingExtraDataFail()",
            "0xcfae921f", "DifferentKeyIdsNotAllowed((bytes32,uint256,bytes32,address[]),(bytes32,uint256,bytes32,address[]))",
            "0x6c67e470", "DuplicateChainId(uint64)",
            "0xf645eedf", "ECDSAInvalidSignature()",
            "0xfce698f7", "ECDSAInvalidSignatureLength(uint256)",
            "0xd78bce0c", "ECDSAInvalidSignatureS(bytes32)",
            "0x4c9c8ce3", "ERC1967InvalidImplementation(address)",
            "0xb398979f", "ERC1967NonPayable()",
            "0xbe505044", "EmptyChainUpgradeWindows()",
            "0x57cfa217", "EmptyContractAddresses()",
            "0x8af082ef", "EmptyCoprocessors()",
            "0xa6a6cb21", "EmptyCtHandleContractPairs()",
            "0x2de75438", "EmptyCtHandles()",
            "0xcad1d534", "EmptyCustodians()",
            "0xce9440df", "EmptyEpochActivationAttestation(uint256)",
            "0x240e9309", "EmptyHandles()",
            "0xe6f9083b", "EmptyKeyDigests(uint256)",
            "0x068c8d40", "EmptyKmsNodes()",
            "0xb5489147", "EmptySoftwareVersion()",
            "0xd93c0665", "EnforcedPause()",
            "0x49417636", "EpochActivationAlreadyConfirmed(address,uint256)",
            "0xf1735b46", "EpochActivationSignerDoesNotMatchTxSender(address,address)",
            "0xa3f4afeb", "EpochActivationUnauthorized(address,uint256)",
            "0x8dfc202b", "ExpectedPause()",
            "0xd6bda275", "FailedCall()",
            "0xa6fef8b7", "HostChainAlreadyDisabled(uint256)",
            "0x5a73e383", "HostChainAlreadyEnabled(uint256)",
            "0x96a56828", "HostChainAlreadyRegistered(uint256)",
            "0x603668c4", "HostChainDisabled(uint256)",
            "0xab1b9ca9", "HostChainNotDisabled(uint256)",
            "0xb6679c3b", "HostChainNotRegistered(uint256)",
            "0xf219dc0e", "InvalidBlockWindow(uint64,uint64,uint64)",
            "0x93548a66", "InvalidExtraDataLength(uint256,uint256)",
            "0x641950d7", "InvalidFHEType(uint8)",
            "0x97beabad", "InvalidHighCoprocessorThreshold(uint256,uint256)",
            "0x0f69cbfc", "InvalidHighKmsGenThreshold(uint256,uint256)",
            "0x907e6681", "InvalidHighMpcThreshold(uint256,uint256)",
            "0x84208f23", "InvalidHighPublicDecryptionThreshold(uint256,uint256)",
            "0xcaa814a3", "InvalidHighThreshold(string,uint256,uint256)",
            "0xd2535e11", "InvalidHighUserDecryptionThreshold(uint256,uint256)",
            "0xf92ee8a9", "InvalidInitialization()",
            "0x77ddbe81", "InvalidKmsContext(uint256)",
            "0x7995bbcf", "InvalidKmsEpoch(uint256)",
            "0x22f73fea", "InvalidNullChainId()",
            "0xcb17b7a5", "InvalidNullContextId()",
            "0xb60d2441", "InvalidNullCoprocessorThreshold()",
            "0xde2859c1", "InvalidNullDurationDays()",
            "0x48a788dc", "InvalidNullDurationSeconds()",
            "0x14eebd49", "InvalidNullKmsContextId()",
            "0x3ee50774", "InvalidNullKmsGenThreshold()",
            "0xb1ae92ea", "InvalidNullPublicDecryptionThreshold()",
            "0x36bfb60e", "InvalidNullThreshold(string)",
            "0xe60a7271", "InvalidNullUserDecryptionThreshold()",
            "0x0992f7ad", "InvalidProposalId()",
            "0x2a873d27", "InvalidUserSignature(bytes)",
            "0x83f18335", "KeyAborted(uint256)",
            "0x6fbcdd2b", "KeyManagementRequestPending()",
            "0x84de1331", "KeyNotGenerated(uint256)",
            "0xadfab904", "KeygenNotRequested(uint256)",
            "0x3b853da8", "KeygenOngoing(uint256)",
            "0xfcf5a6e9", "KmsAlreadySignedForCrsgen(uint256,address)",
            "0x98fb957d", "KmsAlreadySignedForKeygen(uint256,address)",
            "0x33ca1fe3", "KmsAlreadySignedForPrepKeygen(uint256,address)",
            "0xcf50e7ad", "KmsContextAlreadyRegistered(uint256,uint256)",
            "0x62585cc8", "KmsContextCreationAlreadyConfirmed(address,uint256)",
            "0xb81df8e8", "KmsContextCreationUnauthorized(address,uint256)",
            "0x32c5b9f6", "KmsContextNotCreated(uint256)",
            "0x3586efa1", "KmsContextNotPending(uint256)",
            "0x078020be", "KmsLifecycleOperationInFlight(uint256,uint256)",
            "0x99ec48d9", "KmsNodeAlreadySigned(uint256,address)",
            "0x2deccf4d", "KmsNodeNullSigner()",
            "0x8466804a", "KmsNodeNullTxSender()",
            "0xf51af6bb", "KmsSignerAlreadyRegistered(address)",
            "0x0d86f521", "KmsSignerDoesNotMatchTxSender(address,address)",
            "0x16a72778", "KmsSignerSetExceedsProofFormatLimit(uint256,uint256)",
            "0xd18c4ff0", "KmsTxSenderAlreadyRegistered(address)",
            "0x187aeaa8", "LatestActiveKmsContextCannotBeDestroyed(uint256)",
            "0xf0e781c1", "LatestActiveKmsEpochCannotBeDestroyed(uint256)",
            "0xe7f4895d", "MaxDecryptionRequestBitSizeExceeded(uint256,uint256)",
            "0x32951863", "MaxDurationDaysExceeded(uint256,uint256)",
            "0xae52eb12", "MaxDurationSecondsExceeded(uint256,uint256)",
            "0xe8121f51", "NonIncreasingEpochId(uint256,uint256)",
            "0xefd55f67", "NonIncreasingKmsContextId(uint256,uint256)",
            "0x26cd75dc", "NotCoprocessorSigner(address)",
            "0x52d725f5", "NotCoprocessorTxSender(address)",
            "0x0e56cf3d", "NotGatewayOwner(address)",
            "0x21bfda10", "NotHostOwner(address)",
            "0xd7e6bcf8", "NotInitializing()",
            "0x6f4f731f", "NotInitializingFromEmptyProxy()",
            "0x2a7c6ef6", "NotKmsSigner(address)",
            "0xaee86323", "NotKmsTxSender(address)",
            "0xe19166ee", "NotOwnerOrGatewayConfig(address)",
            "0x206a346e", "NotPauser(address)",
            "0x388916bb", "NotPauserOrGatewayConfig(address)",
            "0x1e4fbdf7", "OwnableInvalidOwner(address)",
            "0x118cdaa7", "OwnableUnauthorizedAccount(address)",
            "0x0ab7f687", "PrepKeygenNotRequested(uint256)",
            "0xf24c0887", "StartTimestampInFuture(uint256,uint256)",
            "0x22ba52db", "ThresholdExceedsProofFormatLimit(string,uint256,uint256)",
            "0xe07c8dba", "UUPSUnauthorizedCallContext()",
            "0xaa1d49a4", "UUPSUnsupportedProxiableUUID(bytes32)",
            "0x2139cc2c", "UnsupportedExtraDataVersion(uint8)",
            "0xbe7830b1", "UnsupportedFHEType(uint8)",
            "0xdc4d78b1", "UserAddressInContractAddresses(address,address[])",
            "0x30348040", "UserDecryptionRequestExpired(uint256,(uint256,uint256))",
            "0x678fcfce", "UserDecryptionRequestExpiredSeconds(uint256,(uint256,uint256))",
            "0xc84885d4", "ZeroChainId()",
            "0x17d3e948", "ZeroGwStartBlock()"
        );
    }

    private ContractErrors() {}

    /** @param selector 0x + 8 lower-case hex digits */
    public static Optional<String> signature(String selector) {
        return Optional.ofNullable(BY_SELECTOR.get(selector.toLowerCase()));
    }

    public static Map<String, String> all() {
        return Map.copyOf(BY_SELECTOR);
    }

    private static void add(String... selectorThenSignature) {
        for (int i = 0; i < selectorThenSignature.length; i += 2) {
            BY_SELECTOR.put(selectorThenSignature[i], selectorThenSignature[i + 1]);
        }
    }
}
