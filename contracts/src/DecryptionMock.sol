// SPDX-License-Identifier: BSD-3-Clause-Clear
pragma solidity ^0.8.24;

import {GatewayConfigMock} from "./GatewayConfigMock.sol";

/// Test stand-in for the Gateway's Decryption contract. It keeps the real event topics,
/// function selectors and custom errors, and it checks responses the way the real contract
/// does where it matters to the connector: the KMS signature over the EIP-712 struct built
/// from the stored request, the signer/tx-sender pairing, and one answer per signer.
contract DecryptionMock {
    struct SnsCiphertextMaterial {
        bytes32 ctHandle;
        uint256 keyId;
        bytes32 snsCiphertextDigest;
        address[] coprocessorTxSenderAddresses;
    }

    /// Deprecated variant, still dual-emitted on v0.15 chains: the connector must ignore it.
    event PublicDecryptionRequest(uint256 indexed decryptionId, SnsCiphertextMaterial[] snsCtMaterials, bytes extraData);
    /// D1: the handle-only event the connector listens to.
    event PublicDecryptionRequest(uint256 indexed decryptionId, bytes32[] ctHandles, bytes extraData);
    event PublicDecryptionResponseCall(
        uint256 indexed decryptionId, bytes decryptedResult, bytes signature, address kmsTxSender, bytes extraData
    );
    event PublicDecryptionResponse(uint256 indexed decryptionId, bytes decryptedResult, bytes[] signatures, bytes extraData);

    error DecryptionNotRequested(uint256 decryptionId);
    error EmptyCtHandles();
    error ECDSAInvalidSignature();
    error ECDSAInvalidSignatureLength(uint256 length);
    error ECDSAInvalidSignatureS(bytes32 s);
    error NotKmsSigner(address signerAddress);
    error KmsSignerDoesNotMatchTxSender(address signerAddress, address txSenderAddress);
    error KmsNodeAlreadySigned(uint256 decryptionId, address signer);

    uint256 private constant PUBLIC_DECRYPT_COUNTER_BASE = 1 << 248;
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant PUBLIC_DECRYPT_TYPEHASH =
        keccak256("PublicDecryptVerification(bytes32[] ctHandles,bytes decryptedResult,bytes extraData)");
    bytes32 private constant HIGH_S_LIMIT = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    GatewayConfigMock private immutable gatewayConfig;
    uint256 private publicDecryptionCounter = PUBLIC_DECRYPT_COUNTER_BASE;

    mapping(uint256 => bytes32[]) private publicRequestHandles;
    mapping(uint256 => mapping(address => bool)) private publicSigned;
    mapping(uint256 => bytes[]) private publicSignatures;
    mapping(uint256 => bytes) private publicResults;
    mapping(uint256 => bytes) private publicResultExtraData;

    constructor(GatewayConfigMock config) {
        gatewayConfig = config;
    }

    function publicDecryptionRequest(bytes32[] calldata ctHandles, bytes calldata extraData) external {
        if (ctHandles.length == 0) revert EmptyCtHandles();
        uint256 decryptionId = ++publicDecryptionCounter;
        publicRequestHandles[decryptionId] = ctHandles;

        SnsCiphertextMaterial[] memory legacy = new SnsCiphertextMaterial[](ctHandles.length);
        for (uint256 i = 0; i < ctHandles.length; i++) {
            legacy[i] = SnsCiphertextMaterial(ctHandles[i], 0, bytes32(0), new address[](0));
        }
        emit PublicDecryptionRequest(decryptionId, legacy, extraData);
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
