// SPDX-License-Identifier: BSD-3-Clause-Clear
pragma solidity ^0.8.24;

/// Test stand-in for the host ProtocolConfig on Ethereum, written from the connector's spec: the
/// views the connector reads to validate KMS contexts and epochs (real selectors), the context and
/// epoch life cycle with the real events (NewKmsContext with its anchor, NewKmsEpoch with
/// materialBlockNumber = block.number - 1, the destructions) and the two functions the tx-sender
/// calls, checking what matters to a connector: the sender is a KMS tx sender of the context, once
/// per sender, and an epoch's key and CRS results are signed by the sender's own registered signer
/// (EIP-712 under this contract's domain, extraData = 0x02 | contextId | epochId). A test can also
/// set validity directly, and tamper with an anchor.
contract ProtocolConfigMock {
    struct KmsNodeParams {
        address txSenderAddress;
        address signerAddress;
        string ipAddress;
        string storageUrl;
        int32 partyId;
        string mpcIdentity;
        bytes caCert;
        string storagePrefix;
    }

    struct KmsThresholds {
        uint256 publicDecryption;
        uint256 userDecryption;
        uint256 kmsGen;
        uint256 mpc;
    }

    struct PcrValues {
        bytes pcr0;
        bytes pcr1;
        bytes pcr2;
    }

    struct KeyDigest {
        uint8 keyType;
        bytes digest;
    }

    struct EpochKeyResult {
        uint256 prepKeygenId;
        uint256 keyId;
        KeyDigest[] keyDigests;
        bytes signature;
    }

    struct EpochCrsResult {
        uint256 crsId;
        uint256 maxBitLength;
        bytes crsDigest;
        bytes signature;
    }

    event NewKmsContext(uint256 indexed contextId, uint256 indexed previousContextId, KmsNodeParams[] kmsNodeParams,
        KmsThresholds thresholds, string softwareVersion, PcrValues[] pcrValues);
    event NewKmsEpoch(uint256 indexed kmsContextId, uint256 indexed epochId, uint256 previousContextId,
        uint256 previousEpochId, uint256 materialBlockNumber);
    event KmsContextDestroyed(uint256 indexed kmsContextId);
    event KmsEpochDestroyed(uint256 indexed epochId);
    event KmsContextCreationConfirmation(uint256 indexed kmsContextId, address indexed txSender,
        bool isPreviousTxSender, bool isNewTxSender);
    event EpochActivationConfirmation(uint256 indexed epochId, address indexed signer, bytes32 dataHash);
    event ActivateEpoch(uint256 indexed kmsContextId, uint256 indexed epochId, EpochKeyResult[] keys,
        EpochCrsResult[] crsList, string[] kmsNodeStorageUrls);

    error KmsContextNotPending(uint256 kmsContextId);
    error KmsContextCreationUnauthorized(address txSender, uint256 kmsContextId);
    error KmsContextCreationAlreadyConfirmed(address txSender, uint256 kmsContextId);
    error InvalidKmsEpoch(uint256 epochId);
    error EpochActivationUnauthorized(address txSender, uint256 epochId);
    error EmptyEpochActivationAttestation(uint256 epochId);
    error EpochActivationSignerDoesNotMatchTxSender(address signer, address txSender);
    error EpochActivationAlreadyConfirmed(address txSender, uint256 epochId);
    error ECDSAInvalidSignatureLength(uint256 length);
    error ECDSAInvalidSignature();

    uint256 private constant CONTEXT_BASE = 7 << 248;
    uint256 private constant EPOCH_BASE = 8 << 248;
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant KEY_DIGEST_TYPEHASH = keccak256("KeyDigest(uint8 keyType,bytes digest)");
    bytes32 private constant KEYGEN_TYPEHASH = keccak256(
        "KeygenVerification(uint256 prepKeygenId,uint256 keyId,KeyDigest[] keyDigests,bytes extraData)"
        "KeyDigest(uint8 keyType,bytes digest)");
    bytes32 private constant CRSGEN_TYPEHASH =
        keccak256("CrsgenVerification(uint256 crsId,uint256 maxBitLength,bytes crsDigest,bytes extraData)");

    uint256 private currentContextId;
    uint256 private currentEpochId;
    uint256 private contextCounter = CONTEXT_BASE;
    uint256 private epochCounter = EPOCH_BASE;
    mapping(uint256 => bool) private validContexts;
    mapping(uint256 => mapping(uint256 => bool)) private validEpochs;
    mapping(uint256 => bool) private destroyedEpochs;

    mapping(uint256 => uint256) private anchorBlock;
    mapping(uint256 => bytes32) private anchorHash;
    mapping(uint256 => bool) private pendingContext;
    mapping(uint256 => uint256) private previousContextOf;
    mapping(uint256 => address[]) private txSendersOf;
    mapping(uint256 => mapping(address => address)) private signerOf;
    mapping(uint256 => string[]) private storageUrlsOf;
    mapping(uint256 => mapping(address => bool)) private confirmedContext;
    mapping(uint256 => uint256) private contextConfirmations;
    mapping(uint256 => uint256) private contextOfEpoch;
    mapping(uint256 => bool) private pendingEpoch;
    mapping(uint256 => mapping(address => bool)) private confirmedEpoch;
    mapping(uint256 => uint256) private epochConfirmations;

    /// The first context (previousContextId = the counter base: the connector skips it) and epoch, active.
    function defineGenesisContext(KmsNodeParams[] calldata nodes, KmsThresholds calldata thresholds,
            string calldata softwareVersion, PcrValues[] calldata pcrValues) external {
        uint256 contextId = defineContext(CONTEXT_BASE, nodes, thresholds, softwareVersion, pcrValues);
        uint256 epochId = ++epochCounter;
        contextOfEpoch[epochId] = contextId;
        activate(contextId, epochId);
    }

    /// A new committee: NewKmsContext; once every tx sender of both committees confirms, NewKmsEpoch.
    function defineNewKmsContextAndEpoch(KmsNodeParams[] calldata nodes, KmsThresholds calldata thresholds,
            string calldata softwareVersion, PcrValues[] calldata pcrValues) external {
        uint256 contextId = defineContext(currentContextId, nodes, thresholds, softwareVersion, pcrValues);
        pendingContext[contextId] = true;
    }

    /// Same-set resharing: a new epoch of the current context at once.
    function defineNewEpochForCurrentKmsContext() external {
        openEpoch(currentContextId, currentContextId);
    }

    function confirmKmsContextCreation(uint256 kmsContextId) external {
        if (!pendingContext[kmsContextId]) revert KmsContextNotPending(kmsContextId);
        uint256 previous = previousContextOf[kmsContextId];
        bool isPrevious = signerOf[previous][msg.sender] != address(0);
        bool isNew = signerOf[kmsContextId][msg.sender] != address(0);
        if (!isPrevious && !isNew) revert KmsContextCreationUnauthorized(msg.sender, kmsContextId);
        if (confirmedContext[kmsContextId][msg.sender]) {
            revert KmsContextCreationAlreadyConfirmed(msg.sender, kmsContextId);
        }
        confirmedContext[kmsContextId][msg.sender] = true;
        emit KmsContextCreationConfirmation(kmsContextId, msg.sender, isPrevious, isNew);
        if (++contextConfirmations[kmsContextId] == committeeUnion(previous, kmsContextId)) {
            pendingContext[kmsContextId] = false;
            openEpoch(kmsContextId, previous);
        }
    }

    function confirmEpochActivation(uint256 epochId, EpochKeyResult[] calldata keys,
            EpochCrsResult[] calldata crsList) external {
        if (!pendingEpoch[epochId]) revert InvalidKmsEpoch(epochId);
        uint256 contextId = contextOfEpoch[epochId];
        address expected = signerOf[contextId][msg.sender];
        if (expected == address(0)) revert EpochActivationUnauthorized(msg.sender, epochId);
        if (keys.length == 0 || crsList.length == 0) revert EmptyEpochActivationAttestation(epochId);
        if (confirmedEpoch[epochId][msg.sender]) revert EpochActivationAlreadyConfirmed(msg.sender, epochId);
        bytes memory extraData = abi.encodePacked(uint8(2), contextId, epochId);
        for (uint256 i = 0; i < keys.length; i++) {
            requireSigner(keyStructHash(keys[i], extraData), keys[i].signature, expected);
        }
        for (uint256 i = 0; i < crsList.length; i++) {
            requireSigner(keccak256(abi.encode(CRSGEN_TYPEHASH, crsList[i].crsId, crsList[i].maxBitLength,
                keccak256(crsList[i].crsDigest), keccak256(extraData))), crsList[i].signature, expected);
        }
        confirmedEpoch[epochId][msg.sender] = true;
        emit EpochActivationConfirmation(epochId, expected, keccak256(abi.encode(keys, crsList)));
        if (++epochConfirmations[epochId] == txSendersOf[contextId].length) {
            pendingEpoch[epochId] = false;
            activate(contextId, epochId);
            emit ActivateEpoch(contextId, epochId, keys, crsList, storageUrlsOf[contextId]);
        }
    }

    /// Where the context was defined and the hash of its NewKmsContext payload.
    function getKmsContextAnchor(uint256 contextId) external view returns (uint256, bytes32) {
        return (anchorBlock[contextId], anchorHash[contextId]);
    }

    /// Test only: what a compromised or buggy chain would answer.
    function tamperKmsContextAnchor(uint256 contextId, bytes32 contextInfoHash) external {
        anchorHash[contextId] = contextInfoHash;
    }

    /// Makes (contextId, epochId) the active pair; both become valid.
    function setCurrentKmsContextAndEpoch(uint256 contextId, uint256 epochId) external {
        activate(contextId, epochId);
    }

    function setKmsContextValidity(uint256 contextId, bool valid) external {
        validContexts[contextId] = valid;
    }

    function setEpochValidity(uint256 contextId, uint256 epochId, bool valid) external {
        validEpochs[contextId][epochId] = valid;
    }

    function destroyKmsContext(uint256 contextId) external {
        validContexts[contextId] = false;
        emit KmsContextDestroyed(contextId);
    }

    function destroyKmsEpoch(uint256 epochId) external {
        destroyedEpochs[epochId] = true;
        emit KmsEpochDestroyed(epochId);
    }

    function getCurrentKmsContextAndEpoch() external view returns (uint256, uint256) {
        return (currentContextId, currentEpochId);
    }

    function isValidKmsContext(uint256 kmsContextId) external view returns (bool) {
        return validContexts[kmsContextId];
    }

    function isValidEpochForContext(uint256 kmsContextId, uint256 epochId) external view returns (bool) {
        return validContexts[kmsContextId] && validEpochs[kmsContextId][epochId] && !destroyedEpochs[epochId];
    }

    function defineContext(uint256 previous, KmsNodeParams[] calldata nodes, KmsThresholds calldata thresholds,
            string calldata softwareVersion, PcrValues[] calldata pcrValues) private returns (uint256 contextId) {
        contextId = ++contextCounter;
        previousContextOf[contextId] = previous;
        for (uint256 i = 0; i < nodes.length; i++) {
            txSendersOf[contextId].push(nodes[i].txSenderAddress);
            signerOf[contextId][nodes[i].txSenderAddress] = nodes[i].signerAddress;
            storageUrlsOf[contextId].push(nodes[i].storageUrl);
        }
        anchorBlock[contextId] = block.number;
        anchorHash[contextId] = keccak256(abi.encode(nodes, thresholds, softwareVersion, pcrValues));
        emit NewKmsContext(contextId, previous, nodes, thresholds, softwareVersion, pcrValues);
    }

    function openEpoch(uint256 contextId, uint256 previousContextId) private {
        uint256 epochId = ++epochCounter;
        contextOfEpoch[epochId] = contextId;
        pendingEpoch[epochId] = true;
        emit NewKmsEpoch(contextId, epochId, previousContextId, currentEpochId, block.number - 1);
    }

    function activate(uint256 contextId, uint256 epochId) private {
        currentContextId = contextId;
        currentEpochId = epochId;
        validContexts[contextId] = true;
        validEpochs[contextId][epochId] = true;
        destroyedEpochs[epochId] = false;
    }

    /// Tx senders of either committee, each counted once.
    function committeeUnion(uint256 previous, uint256 contextId) private view returns (uint256 n) {
        n = txSendersOf[contextId].length;
        address[] storage old = txSendersOf[previous];
        for (uint256 i = 0; i < old.length; i++) {
            if (signerOf[contextId][old[i]] == address(0)) {
                n++;
            }
        }
    }

    function keyStructHash(EpochKeyResult calldata key, bytes memory extraData) private pure returns (bytes32) {
        bytes32[] memory digestHashes = new bytes32[](key.keyDigests.length);
        for (uint256 i = 0; i < key.keyDigests.length; i++) {
            digestHashes[i] = keccak256(abi.encode(KEY_DIGEST_TYPEHASH, key.keyDigests[i].keyType,
                keccak256(key.keyDigests[i].digest)));
        }
        return keccak256(abi.encode(KEYGEN_TYPEHASH, key.prepKeygenId, key.keyId,
            keccak256(abi.encodePacked(digestHashes)), keccak256(extraData)));
    }

    function requireSigner(bytes32 structHash, bytes calldata signature, address expected) private view {
        bytes32 domainSeparator = keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("ProtocolConfig"), keccak256("1"),
            block.chainid, address(this)));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
        if (signature.length != 65) revert ECDSAInvalidSignatureLength(signature.length);
        address signer = ecrecover(digest, uint8(signature[64]), bytes32(signature[0:32]), bytes32(signature[32:64]));
        if (signer == address(0)) revert ECDSAInvalidSignature();
        if (signer != expected) revert EpochActivationSignerDoesNotMatchTxSender(signer, msg.sender);
    }
}
