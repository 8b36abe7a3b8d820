// SPDX-License-Identifier: BSD-3-Clause-Clear
pragma solidity ^0.8.24;

/// Test stand-in for a host chain's ACL: the four views the kms-worker calls, with setters so
/// a test can grant or withhold each permission.
contract ACLMock {
    mapping(bytes32 => bool) private allowedForDecryption;
    mapping(bytes32 => mapping(address => bool)) private allowed;
    mapping(bytes32 => bytes32) private delegations;
    mapping(address => uint256) private invalidatedBefore;

    function allowForDecryption(bytes32[] calldata handles) external {
        for (uint256 i = 0; i < handles.length; i++) {
            allowedForDecryption[handles[i]] = true;
        }
    }

    function allow(bytes32 handle, address account) external {
        allowed[handle][account] = true;
    }

    function delegateForUserDecryption(address delegator, address delegate, address contractAddress, bytes32 handle)
        external
    {
        delegations[delegationKey(delegator, delegate, contractAddress, handle)] = bytes32(uint256(1));
    }

    function invalidateDecryptionSignaturesBefore(address account, uint256 timestamp) external {
        invalidatedBefore[account] = timestamp;
    }

    function isAllowedForDecryption(bytes32 handle) external view returns (bool) {
        return allowedForDecryption[handle];
    }

    function isAllowed(bytes32 handle, address account) external view returns (bool) {
        return allowed[handle][account];
    }

    function isHandleDelegatedForUserDecryption(
        address delegator,
        address delegate,
        address contractAddress,
        bytes32 handle
    ) external view returns (bool) {
        return delegations[delegationKey(delegator, delegate, contractAddress, handle)] != bytes32(0);
    }

    function decryptionSignatureInvalidatedBefore(address account) external view returns (uint256) {
        return invalidatedBefore[account];
    }

    function delegationKey(address delegator, address delegate, address contractAddress, bytes32 handle)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(delegator, delegate, contractAddress, handle));
    }
}
