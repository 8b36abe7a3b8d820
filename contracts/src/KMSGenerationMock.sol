// SPDX-License-Identifier: BSD-3-Clause-Clear
pragma solidity ^0.8.24;

interface IProtocolConfigView {
    function getCurrentKmsContextAndEpoch() external view returns (uint256, uint256);
}

/// Test stand-in for the host KMSGeneration on Ethereum, written from the connector's spec: the
/// real events (K1-K5 and the response-side ones), the real response functions and their custom
/// errors, and the checks that matter to a connector: the id was requested, the sender is a
/// registered KMS tx sender, the EIP-712 signature recovers to that node's registered signer,
/// one response per signer, consensus at the threshold (K2 after prep-keygen, ActivateKey,
/// ActivateCrs), aborts. The views the kms-worker reads for a new epoch are there too.
contract KMSGenerationMock {
    enum ParamsType { Default, Test }
    enum KeyType { Server, Public, Reserved, CompressedKeySet }

    struct KeyDigest {
        KeyType keyType;
        bytes digest;
    }

    struct KeyInfo {
        uint256 prepKeygenId;
        uint256 keyId;
        ParamsType paramsType;
        KeyDigest[] keyDigests;
    }

    event PrepKeygenRequest(uint256 prepKeygenId, ParamsType paramsType, bytes extraData);
    event KeygenRequest(uint256 prepKeygenId, uint256 keyId, bytes extraData);
    event CrsgenRequest(uint256 crsId, uint256 maxBitLength, ParamsType paramsType, bytes extraData);
    event AbortKeygen(uint256 prepKeygenId);
    event AbortCrsgen(uint256 crsId);
    event PrepKeygenResponse(uint256 prepKeygenId, bytes signature, address kmsTxSender);
    event KeygenResponse(uint256 keyId, KeyDigest[] keyDigests, bytes signature, address kmsTxSender);
    event ActivateKey(uint256 keyId, string[] kmsNodeStorageUrls, KeyDigest[] keyDigests);
    event CrsgenResponse(uint256 crsId, bytes crsDigest, bytes signature, address kmsTxSender);
    event ActivateCrs(uint256 crsId, string[] kmsNodeStorageUrls, bytes crsDigest);

    error PrepKeygenNotRequested(uint256 prepKeygenId);
    error KeygenNotRequested(uint256 keyId);
    error CrsgenNotRequested(uint256 crsId);
    error NotKmsTxSender(address txSender);
    error NotKmsSigner(address signer);
    error KmsSignerDoesNotMatchTxSender(address signer, address txSender);
    error KmsAlreadySignedForPrepKeygen(uint256 prepKeygenId, address signer);
    error KmsAlreadySignedForKeygen(uint256 keyId, address signer);
    error KmsAlreadySignedForCrsgen(uint256 crsId, address signer);
    error EmptyKeyDigests(uint256 keyId);
    error KeyManagementRequestPending();
    error KeyAborted(uint256 prepKeygenId);
    error CrsAborted(uint256 crsId);
    error AbortKeygenInvalidId(uint256 prepKeygenId);
    error AbortKeygenAlreadyDone(uint256 prepKeygenId);
    error AbortCrsgenInvalidId(uint256 crsId);
    error AbortCrsgenAlreadyDone(uint256 crsId);
    error ECDSAInvalidSignatureLength(uint256 length);
    error ECDSAInvalidSignature();
    error NotHostOwner(address sender);

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant PREP_KEYGEN_TYPEHASH = keccak256("PrepKeygenVerification(uint256 prepKeygenId,bytes extraData)");
    bytes32 private constant KEY_DIGEST_TYPEHASH = keccak256("KeyDigest(uint8 keyType,bytes digest)");
    bytes32 private constant KEYGEN_TYPEHASH = keccak256(
        "KeygenVerification(uint256 prepKeygenId,uint256 keyId,KeyDigest[] keyDigests,bytes extraData)"
        "KeyDigest(uint8 keyType,bytes digest)");
    bytes32 private constant CRSGEN_TYPEHASH =
        keccak256("CrsgenVerification(uint256 crsId,uint256 maxBitLength,bytes crsDigest,bytes extraData)");
    uint256 private constant PREP_KEYGEN_BASE = 3 << 248;
    uint256 private constant KEY_BASE = 4 << 248;
    uint256 private constant CRS_BASE = 5 << 248;

    address private immutable owner;
    IProtocolConfigView private immutable protocolConfig;
    uint256 private immutable threshold;
    mapping(address => address) private signerOfTxSender;
    mapping(address => bool) private isSigner;
    string[] private storageUrls;

    uint256 private prepKeygenCounter = PREP_KEYGEN_BASE;
    uint256 private keyCounter = KEY_BASE;
    uint256 private crsCounter = CRS_BASE;

    mapping(uint256 => ParamsType) private prepKeygenParams;
    mapping(uint256 => bytes) private requestExtraData;
    mapping(uint256 => uint256) private keyIdOfPrepKeygen;
    mapping(uint256 => uint256) private prepKeygenOfKeyId;
    mapping(uint256 => uint256) private crsMaxBitLength;
    mapping(uint256 => ParamsType) private crsParams;
    mapping(uint256 => bool) private aborted;
    mapping(uint256 => bool) private done;
    mapping(uint256 => mapping(address => bool)) private signed;
    mapping(uint256 => uint256) private responses;
    mapping(uint256 => KeyDigest[]) private keyDigestsOf;
    mapping(uint256 => bytes) private crsDigestOf;
    uint256[] private completedKeyIds;
    uint256[] private completedCrsIds;

    /// One KMS node per index: its tx sender (the connector's wallet), its signer (the KMS Core's
    /// key) and its storage URL; kmsGenThreshold responses make consensus.
    constructor(address protocolConfig_, address[] memory txSenders, address[] memory signers,
            string[] memory urls, uint256 kmsGenThreshold) {
        owner = msg.sender;
        protocolConfig = IProtocolConfigView(protocolConfig_);
        threshold = kmsGenThreshold;
        for (uint256 i = 0; i < txSenders.length; i++) {
            signerOfTxSender[txSenders[i]] = signers[i];
            isSigner[signers[i]] = true;
            storageUrls.push(urls[i]);
        }
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotHostOwner(msg.sender);
        _;
    }

    function keygen(ParamsType paramsType) external onlyOwner {
        uint256 prepKeygenId = ++prepKeygenCounter;
        bytes memory extraData = currentExtraData();
        prepKeygenParams[prepKeygenId] = paramsType;
        requestExtraData[prepKeygenId] = extraData;
        emit PrepKeygenRequest(prepKeygenId, paramsType, extraData);
    }

    function crsgenRequest(uint256 maxBitLength, ParamsType paramsType) external onlyOwner {
        uint256 crsId = ++crsCounter;
        bytes memory extraData = currentExtraData();
        crsMaxBitLength[crsId] = maxBitLength;
        crsParams[crsId] = paramsType;
        requestExtraData[crsId] = extraData;
        emit CrsgenRequest(crsId, maxBitLength, paramsType, extraData);
    }

    function abortKeygen(uint256 prepKeygenId) external onlyOwner {
        if (prepKeygenId <= PREP_KEYGEN_BASE || prepKeygenId > prepKeygenCounter) revert AbortKeygenInvalidId(prepKeygenId);
        uint256 keyId = keyIdOfPrepKeygen[prepKeygenId];
        if (keyId != 0 && done[keyId]) revert AbortKeygenAlreadyDone(prepKeygenId);
        aborted[prepKeygenId] = true;
        emit AbortKeygen(prepKeygenId);
    }

    function abortCrsgen(uint256 crsId) external onlyOwner {
        if (crsId <= CRS_BASE || crsId > crsCounter) revert AbortCrsgenInvalidId(crsId);
        if (done[crsId]) revert AbortCrsgenAlreadyDone(crsId);
        aborted[crsId] = true;
        emit AbortCrsgen(crsId);
    }

    function prepKeygenResponse(uint256 prepKeygenId, bytes calldata signature) external {
        if (prepKeygenId <= PREP_KEYGEN_BASE || prepKeygenId > prepKeygenCounter) revert PrepKeygenNotRequested(prepKeygenId);
        if (aborted[prepKeygenId]) revert KeyAborted(prepKeygenId);
        bytes32 structHash = keccak256(abi.encode(PREP_KEYGEN_TYPEHASH, prepKeygenId,
            keccak256(requestExtraData[prepKeygenId])));
        address signer = checkSignature(structHash, signature);
        if (signed[prepKeygenId][signer]) revert KmsAlreadySignedForPrepKeygen(prepKeygenId, signer);
        signed[prepKeygenId][signer] = true;
        emit PrepKeygenResponse(prepKeygenId, signature, msg.sender);
        if (++responses[prepKeygenId] == threshold) {
            done[prepKeygenId] = true;
            uint256 keyId = ++keyCounter;
            keyIdOfPrepKeygen[prepKeygenId] = keyId;
            prepKeygenOfKeyId[keyId] = prepKeygenId;
            emit KeygenRequest(prepKeygenId, keyId, requestExtraData[prepKeygenId]);
        }
    }

    function keygenResponse(uint256 keyId, KeyDigest[] calldata keyDigests, bytes calldata signature) external {
        uint256 prepKeygenId = prepKeygenOfKeyId[keyId];
        if (prepKeygenId == 0) revert KeygenNotRequested(keyId);
        if (!done[prepKeygenId]) revert KeyManagementRequestPending();
        if (aborted[prepKeygenId]) revert KeyAborted(prepKeygenId);
        if (keyDigests.length == 0) revert EmptyKeyDigests(keyId);
        bytes32[] memory digestHashes = new bytes32[](keyDigests.length);
        for (uint256 i = 0; i < keyDigests.length; i++) {
            digestHashes[i] = keccak256(abi.encode(KEY_DIGEST_TYPEHASH, keyDigests[i].keyType,
                keccak256(keyDigests[i].digest)));
        }
        bytes32 structHash = keccak256(abi.encode(KEYGEN_TYPEHASH, prepKeygenId, keyId,
            keccak256(abi.encodePacked(digestHashes)), keccak256(requestExtraData[prepKeygenId])));
        address signer = checkSignature(structHash, signature);
        if (signed[keyId][signer]) revert KmsAlreadySignedForKeygen(keyId, signer);
        signed[keyId][signer] = true;
        emit KeygenResponse(keyId, keyDigests, signature, msg.sender);
        if (++responses[keyId] == threshold) {
            done[keyId] = true;
            for (uint256 i = 0; i < keyDigests.length; i++) {
                keyDigestsOf[keyId].push(keyDigests[i]);
            }
            completedKeyIds.push(keyId);
            emit ActivateKey(keyId, storageUrls, keyDigests);
        }
    }

    function crsgenResponse(uint256 crsId, bytes calldata crsDigest, bytes calldata signature) external {
        if (crsId <= CRS_BASE || crsId > crsCounter) revert CrsgenNotRequested(crsId);
        if (aborted[crsId]) revert CrsAborted(crsId);
        bytes32 structHash = keccak256(abi.encode(CRSGEN_TYPEHASH, crsId, crsMaxBitLength[crsId],
            keccak256(crsDigest), keccak256(requestExtraData[crsId])));
        address signer = checkSignature(structHash, signature);
        if (signed[crsId][signer]) revert KmsAlreadySignedForCrsgen(crsId, signer);
        signed[crsId][signer] = true;
        emit CrsgenResponse(crsId, crsDigest, signature, msg.sender);
        if (++responses[crsId] == threshold) {
            done[crsId] = true;
            crsDigestOf[crsId] = crsDigest;
            completedCrsIds.push(crsId);
            emit ActivateCrs(crsId, storageUrls, crsDigest);
        }
    }

    function getCompletedKeyIds() external view returns (uint256[] memory) {
        return completedKeyIds;
    }

    function getCompletedCrsIds() external view returns (uint256[] memory) {
        return completedCrsIds;
    }

    function getKeyInfo(uint256 keyId) external view returns (KeyInfo memory) {
        uint256 prepKeygenId = prepKeygenOfKeyId[keyId];
        return KeyInfo(prepKeygenId, keyId, prepKeygenParams[prepKeygenId], keyDigestsOf[keyId]);
    }

    function getCrsMaterials(uint256 crsId) external view returns (string[] memory, bytes memory) {
        return (storageUrls, crsDigestOf[crsId]);
    }

    /// v2 extraData pinning the active context and epoch at request time, as the real contract does.
    function currentExtraData() private view returns (bytes memory) {
        (uint256 contextId, uint256 epochId) = protocolConfig.getCurrentKmsContextAndEpoch();
        return abi.encodePacked(uint8(2), contextId, epochId);
    }

    /// The sender must be a KMS tx sender and the signature its node's registered signer's.
    function checkSignature(bytes32 structHash, bytes calldata signature) private view returns (address) {
        address expected = signerOfTxSender[msg.sender];
        if (expected == address(0)) revert NotKmsTxSender(msg.sender);
        bytes32 domainSeparator = keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("KMSGeneration"), keccak256("1"),
            block.chainid, address(this)));
        address signer = recover(keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash)), signature);
        if (!isSigner[signer]) revert NotKmsSigner(signer);
        if (signer != expected) revert KmsSignerDoesNotMatchTxSender(signer, msg.sender);
        return signer;
    }

    function recover(bytes32 digest, bytes calldata signature) private pure returns (address) {
        if (signature.length != 65) revert ECDSAInvalidSignatureLength(signature.length);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert ECDSAInvalidSignature();
        return signer;
    }
}
