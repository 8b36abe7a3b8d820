// SPDX-License-Identifier: BSD-3-Clause-Clear
pragma solidity ^0.8.24;

/// Test stand-in for the host ProtocolConfig: the three views the connector reads to validate
/// KMS contexts and epochs (real selectors), with setters so a test decides what is valid, and
/// the two destruction entry points emitting the real KmsContextDestroyed / KmsEpochDestroyed
/// events. Nothing depends on the block: a view answers from whatever state the queried block has.
contract ProtocolConfigMock {
    event KmsContextDestroyed(uint256 indexed kmsContextId);
    event KmsEpochDestroyed(uint256 indexed epochId);

    uint256 private currentContextId;
    uint256 private currentEpochId;
    mapping(uint256 => bool) private validContexts;
    mapping(uint256 => mapping(uint256 => bool)) private validEpochs;
    mapping(uint256 => bool) private destroyedEpochs;

    /// Makes (contextId, epochId) the active pair; both become valid.
    function setCurrentKmsContextAndEpoch(uint256 contextId, uint256 epochId) external {
        currentContextId = contextId;
        currentEpochId = epochId;
        validContexts[contextId] = true;
        validEpochs[contextId][epochId] = true;
        destroyedEpochs[epochId] = false;
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
}
