// SPDX-License-Identifier: BSD-3-Clause-Clear
pragma solidity ^0.8.24;

import {GatewayConfigMock} from "./GatewayConfigMock.sol";

/// Test stand-in for the Gateway's Decryption contract. It keeps the real event topics,
/// function selectors and custom errors, and it checks responses the way the real contract
/// does where it matters to the connector: the KMS signature over the EIP-712 struct built
/// from the stored request, the signer/tx-sender pairing, and one answer per signer. Every
/// request dual-emits the deprecated SnsCiphertextMaterial variant first, as v0.15 chains do.
/// Users' signatures on requests are not checked (the real Gateway leaves the unified ones to
/// the connector; the legacy ones do not matter to it).
contract DecryptionMock {
    struct SnsCiphertextMaterial {
        bytes32 ctHandle;
        uint256 keyId;
        bytes32 snsCiphertextDigest;
        address[] coprocessorTxSenderAddresses;
    }

    struct CtHandleContractPair {
        bytes32 ctHandle;
        address contractAddress;
    }

    struct HandleEntry {
        bytes32 handle;
        address contractAddress;
        address ownerAddress;
    }

    struct RequestValidity {
        uint256 startTimestamp;
        uint256 durationDays;
    }

    struct RequestValiditySeconds {
        uint256 startTimestamp;
        uint256 durationSeconds;
    }

    struct DelegationAccounts {
        address delegatorAddress;
        address delegateAddress;
    }

    struct ContractsInfo {
        uint256 chainId;
        address[] addresses;
    }

    struct UserDecryptionRequestPayload {
        address userAddress;
        bytes publicKey;
        address[] allowedContracts;
        RequestValiditySeconds requestValidity;
        bytes extraData;
        bytes signature;
    }

    /// Deprecated variant, still dual-emitted on v0.15 chains: the connector must ignore it.
    event PublicDecryptionRequest(uint256 indexed decryptionId, SnsCiphertextMaterial[] snsCtMaterials, bytes extraData);
    /// D1: the handle-only event the connector listens to.
    event PublicDecryptionRequest(uint256 indexed decryptionId, bytes32[] ctHandles, bytes extraData);
    event PublicDecryptionResponseCall(
        uint256 indexed decryptionId, bytes decryptedResult, bytes signature, address kmsTxSender, bytes extraData
    );
    event PublicDecryptionResponse(uint256 indexed decryptionId, bytes decryptedResult, bytes[] signatures, bytes extraData);

    /// Deprecated legacy variant (dual-emitted, ignored by the connector).
    event UserDecryptionRequest(
        uint256 indexed decryptionId,
        SnsCiphertextMaterial[] snsCtMaterials,
        address userAddress,
        bytes publicKey,
        bytes extraData
    );
    /// D2: legacy and delegated requests (userAddress is the delegate for a delegated one).
    event UserDecryptionRequest(
        uint256 indexed decryptionId, bytes32[] ctHandles, address userAddress, bytes publicKey, bytes extraData
    );
    /// Deprecated unified variant (dual-emitted, ignored by the connector).
    event UserDecryptionRequest(
        uint256 indexed decryptionId,
        SnsCiphertextMaterial[] snsCtMaterials,
        HandleEntry[] handles,
        UserDecryptionRequestPayload payload
    );
    /// D3: the unified EIP-712 (RFC016) request, authorised by the connector alone.
    event UserDecryptionRequest(uint256 indexed decryptionId, HandleEntry[] handles, UserDecryptionRequestPayload payload);
    event UserDecryptionResponse(
        uint256 indexed decryptionId, uint256 indexShare, bytes userDecryptedShare, bytes signature, bytes extraData
    );
    event UserDecryptionResponseThresholdReached(uint256 indexed decryptionId);

    error DecryptionNotRequested(uint256 decryptionId);
    error EmptyCtHandles();
    error ECDSAInvalidSignature();
    error ECDSAInvalidSignatureLength(uint256 length);
    error ECDSAInvalidSignatureS(bytes32 s);
    error NotKmsSigner(address signerAddress);
    error KmsSignerDoesNotMatchTxSender(address signerAddress, address txSenderAddress);
    error KmsNodeAlreadySigned(uint256 decryptionId, address signer);

    uint256 private constant PUBLIC_DECRYPT_COUNTER_BASE = 1 << 248;
    uint256 private constant USER_DECRYPT_COUNTER_BASE = 2 << 248;
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant PUBLIC_DECRYPT_TYPEHASH =
        keccak256("PublicDecryptVerification(bytes32[] ctHandles,bytes decryptedResult,bytes extraData)");
    bytes32 private constant USER_DECRYPT_RESPONSE_TYPEHASH = keccak256(
        "UserDecryptResponseVerification(bytes publicKey,bytes32[] ctHandles,bytes userDecryptedShare,bytes extraData)"
    );
    bytes32 private constant HIGH_S_LIMIT = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    GatewayConfigMock private immutable gatewayConfig;
    uint256 private publicDecryptionCounter = PUBLIC_DECRYPT_COUNTER_BASE;

    mapping(uint256 => bytes32[]) private publicRequestHandles;
    mapping(uint256 => mapping(address => bool)) private publicSigned;
    mapping(uint256 => bytes[]) private publicSignatures;
    mapping(uint256 => bytes) private publicResults;
    mapping(uint256 => bytes) private publicResultExtraData;

    uint256 private userDecryptionCounter = USER_DECRYPT_COUNTER_BASE;
    mapping(uint256 => bytes32[]) private userRequestHandles;
    mapping(uint256 => bytes) private userRequestPublicKeys;
    mapping(uint256 => mapping(address => bool)) private userSigned;
    mapping(uint256 => bytes[]) private userShares;

    constructor(GatewayConfigMock config) {
        gatewayConfig = config;
    }

    function publicDecryptionRequest(bytes32[] calldata ctHandles, bytes calldata extraData) external {
        if (ctHandles.length == 0) revert EmptyCtHandles();
        uint256 decryptionId = ++publicDecryptionCounter;
        publicRequestHandles[decryptionId] = ctHandles;

        emit PublicDecryptionRequest(decryptionId, placeholders(ctHandles), extraData);
        emit PublicDecryptionRequest(decryptionId, ctHandles, extraData);
    }

    function publicDecryptionResponse(
        uint256 decryptionId,
        bytes calldata decryptedResult,
        bytes calldata signature,
        bytes calldata extraData
    ) external {
        if (decryptionId <= PUBLIC_DECRYPT_COUNTER_BASE || decryptionId > publicDecryptionCounter) {
            revert DecryptionNotRequested(decryptionId);
        }
        bytes32 structHash = keccak256(
            abi.encode(
                PUBLIC_DECRYPT_TYPEHASH,
                keccak256(abi.encodePacked(publicRequestHandles[decryptionId])),
                keccak256(decryptedResult),
                keccak256(extraData)
            )
        );
        address signer = recover(keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash)), signature);
        checkSender(signer);
        if (publicSigned[decryptionId][signer]) revert KmsNodeAlreadySigned(decryptionId, signer);
        publicSigned[decryptionId][signer] = true;
        publicSignatures[decryptionId].push(signature);

        emit PublicDecryptionResponseCall(decryptionId, decryptedResult, signature, msg.sender, extraData);
        if (publicSignatures[decryptionId].length == gatewayConfig.getPublicDecryptionThreshold()) {
            publicResults[decryptionId] = decryptedResult;
            publicResultExtraData[decryptionId] = extraData;
            emit PublicDecryptionResponse(decryptionId, decryptedResult, publicSignatures[decryptionId], extraData);
        }
    }

    /// Test view: the consensus result of a public decryption and how many KMS nodes answered.
    function getPublicDecryptionResult(uint256 decryptionId)
        external
        view
        returns (bytes memory decryptedResult, bytes memory extraData, uint256 responseCount)
    {
        return (publicResults[decryptionId], publicResultExtraData[decryptionId], publicSignatures[decryptionId].length);
    }

    /// Legacy user decryption. The user's signature is checked on chain by the real contract;
    /// the mock skips it: it only plays the events and keeps what the response check needs.
    function userDecryptionRequest(
        CtHandleContractPair[] calldata ctHandleContractPairs,
        RequestValidity calldata,
        ContractsInfo calldata,
        address userAddress,
        bytes calldata publicKey,
        bytes calldata,
        bytes calldata extraData
    ) external {
        emitLegacyUserRequest(handlesOf(ctHandleContractPairs), userAddress, publicKey, extraData);
    }

    /// Delegated legacy user decryption: D2 names the delegate as the user, as the real contract does.
    function delegatedUserDecryptionRequest(
        CtHandleContractPair[] calldata ctHandleContractPairs,
        RequestValidity calldata,
        DelegationAccounts calldata delegationAccounts,
        ContractsInfo calldata,
        bytes calldata publicKey,
        bytes calldata,
        bytes calldata extraData
    ) external {
        emitLegacyUserRequest(
            handlesOf(ctHandleContractPairs), delegationAccounts.delegateAddress, publicKey, extraData
        );
    }

    /// Unified (RFC016) user decryption. Like the real Gateway, the mock does not verify the
    /// user's signature: the connector authorises these requests.
    function userDecryptionRequest(
        HandleEntry[] calldata handles,
        address userAddress,
        bytes calldata publicKey,
        address[] calldata allowedContracts,
        RequestValiditySeconds calldata requestValidity,
        bytes calldata signature,
        bytes calldata extraData
    ) external {
        emitUnifiedUserRequest(
            handles,
            UserDecryptionRequestPayload(userAddress, publicKey, allowedContracts, requestValidity, extraData, signature)
        );
    }

    function userDecryptionResponse(
        uint256 decryptionId,
        bytes calldata userDecryptedShare,
        bytes calldata signature,
        bytes calldata extraData
    ) external {
        if (decryptionId <= USER_DECRYPT_COUNTER_BASE || decryptionId > userDecryptionCounter) {
            revert DecryptionNotRequested(decryptionId);
        }
        bytes32 structHash = keccak256(
            abi.encode(
                USER_DECRYPT_RESPONSE_TYPEHASH,
                keccak256(userRequestPublicKeys[decryptionId]),
                keccak256(abi.encodePacked(userRequestHandles[decryptionId])),
                keccak256(userDecryptedShare),
                keccak256(extraData)
            )
        );
        address signer = recover(keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash)), signature);
        checkSender(signer);
        if (userSigned[decryptionId][signer]) revert KmsNodeAlreadySigned(decryptionId, signer);
        userSigned[decryptionId][signer] = true;
        userShares[decryptionId].push(userDecryptedShare);

        uint256 indexShare = userShares[decryptionId].length - 1;
        emit UserDecryptionResponse(decryptionId, indexShare, userDecryptedShare, signature, extraData);
        if (userShares[decryptionId].length == gatewayConfig.getUserDecryptionThreshold()) {
            emit UserDecryptionResponseThresholdReached(decryptionId);
        }
    }

    /// Test view: every share accepted for a user decryption, in arrival order, and their count.
    function getUserDecryptionResult(uint256 decryptionId)
        external
        view
        returns (bytes[] memory shares, uint256 responseCount)
    {
        return (userShares[decryptionId], userShares[decryptionId].length);
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("Decryption"), keccak256("1"), block.chainid, address(this))
        );
    }

    function checkSender(address signer) private view {
        if (!gatewayConfig.isKmsSigner(signer)) revert NotKmsSigner(signer);
        if (gatewayConfig.getKmsSignerOfTxSender(msg.sender) != signer) {
            revert KmsSignerDoesNotMatchTxSender(signer, msg.sender);
        }
    }

    function emitLegacyUserRequest(
        bytes32[] memory ctHandles,
        address userAddress,
        bytes calldata publicKey,
        bytes calldata extraData
    ) private {
        uint256 decryptionId = newUserRequest(ctHandles, publicKey);
        emit UserDecryptionRequest(decryptionId, placeholders(ctHandles), userAddress, publicKey, extraData);
        emit UserDecryptionRequest(decryptionId, ctHandles, userAddress, publicKey, extraData);
    }

    function emitUnifiedUserRequest(HandleEntry[] calldata handles, UserDecryptionRequestPayload memory payload)
        private
    {
        bytes32[] memory ctHandles = new bytes32[](handles.length);
        for (uint256 i = 0; i < handles.length; i++) {
            ctHandles[i] = handles[i].handle;
        }
        uint256 decryptionId = newUserRequest(ctHandles, payload.publicKey);
        emit UserDecryptionRequest(decryptionId, placeholders(ctHandles), handles, payload);
        emit UserDecryptionRequest(decryptionId, handles, payload);
    }

    function newUserRequest(bytes32[] memory ctHandles, bytes memory publicKey) private returns (uint256) {
        if (ctHandles.length == 0) revert EmptyCtHandles();
        uint256 decryptionId = ++userDecryptionCounter;
        userRequestHandles[decryptionId] = ctHandles;
        userRequestPublicKeys[decryptionId] = publicKey;
        return decryptionId;
    }

    function handlesOf(CtHandleContractPair[] calldata pairs) private pure returns (bytes32[] memory ctHandles) {
        ctHandles = new bytes32[](pairs.length);
        for (uint256 i = 0; i < pairs.length; i++) {
            ctHandles[i] = pairs[i].ctHandle;
        }
    }

    /// The SnsCiphertextMaterial list of the deprecated variants (the mock has no key id or digest).
    function placeholders(bytes32[] memory ctHandles) private pure returns (SnsCiphertextMaterial[] memory legacy) {
        legacy = new SnsCiphertextMaterial[](ctHandles.length);
        for (uint256 i = 0; i < ctHandles.length; i++) {
            legacy[i] = SnsCiphertextMaterial(ctHandles[i], 0, bytes32(0), new address[](0));
        }
    }

    function recover(bytes32 digest, bytes calldata signature) private pure returns (address) {
        if (signature.length != 65) revert ECDSAInvalidSignatureLength(signature.length);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(s) > uint256(HIGH_S_LIMIT)) revert ECDSAInvalidSignatureS(s);
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert ECDSAInvalidSignature();
        return signer;
    }
}
