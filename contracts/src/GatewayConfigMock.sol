// SPDX-License-Identifier: BSD-3-Clause-Clear
pragma solidity ^0.8.24;

/// Test stand-in for the Gateway's GatewayConfig: the coprocessor registry the kms-worker reads
/// (same view selectors as the real contract) and the KMS node table the Decryption mock
/// checks response senders and signers against.
contract GatewayConfigMock {
    struct Coprocessor {
        address txSenderAddress;
        address signerAddress;
        string s3BucketUrl;
    }

    error NotOwner(address caller);

    address private immutable owner;
    address[] private coprocessorTxSenders;
    address[] private coprocessorSigners;
    mapping(address => Coprocessor) private coprocessors;
    uint256 private coprocessorThreshold;

    mapping(address => bool) private kmsSigners;
    mapping(address => address) private kmsSignerOfTxSender;
    uint256 private publicDecryptionThreshold = 1;
    uint256 private userDecryptionThreshold = 1;

    constructor() {
        owner = msg.sender;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    function addCoprocessor(address txSender, address signer, string calldata s3BucketUrl) external onlyOwner {
        coprocessorTxSenders.push(txSender);
        coprocessorSigners.push(signer);
        coprocessors[txSender] = Coprocessor(txSender, signer, s3BucketUrl);
    }

    function setCoprocessorMajorityThreshold(uint256 threshold) external onlyOwner {
        coprocessorThreshold = threshold;
    }

    function addKmsNode(address txSender, address signer) external onlyOwner {
        kmsSigners[signer] = true;
        kmsSignerOfTxSender[txSender] = signer;
    }

    function setDecryptionThresholds(uint256 publicThreshold, uint256 userThreshold) external onlyOwner {
        publicDecryptionThreshold = publicThreshold;
        userDecryptionThreshold = userThreshold;
    }

    function getCoprocessorSigners() external view returns (address[] memory) {
        return coprocessorSigners;
    }

    function getCoprocessorTxSenders() external view returns (address[] memory) {
        return coprocessorTxSenders;
    }

    function getCoprocessorMajorityThreshold() external view returns (uint256) {
        return coprocessorThreshold;
    }

    function getCoprocessor(address txSender) external view returns (Coprocessor memory) {
        return coprocessors[txSender];
    }

    function isKmsSigner(address signer) external view returns (bool) {
        return kmsSigners[signer];
    }

    function getKmsSignerOfTxSender(address txSender) external view returns (address) {
        return kmsSignerOfTxSender[txSender];
    }

    function getPublicDecryptionThreshold() external view returns (uint256) {
        return publicDecryptionThreshold;
    }

    function getUserDecryptionThreshold() external view returns (uint256) {
        return userDecryptionThreshold;
    }
}
