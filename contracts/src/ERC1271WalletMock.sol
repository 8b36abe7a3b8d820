// SPDX-License-Identifier: BSD-3-Clause-Clear
pragma solidity ^0.8.24;

/// Test stand-in for a user's smart account (ERC-1271): a signature over a hash is valid when it
/// recovers the wallet's owner. A mode lets a test make the wallet revert or answer with fewer
/// than 32 bytes, the other outcomes the kms-worker must classify.
contract ERC1271WalletMock {
    bytes4 internal constant MAGIC_VALUE = 0x1626ba7e; // isValidSignature(bytes32,bytes)
    bytes4 internal constant WRONG_VALUE = 0xffffffff;

    enum Mode {
        Normal,
        Revert,
        ShortAnswer
    }

    address public owner;
    Mode public mode;

    constructor(address initialOwner) {
        owner = initialOwner;
    }

    function setMode(Mode newMode) external {
        mode = newMode;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (mode == Mode.Revert) {
            revert("ERC1271WalletMock: reverting on purpose");
        }
        if (mode == Mode.ShortAnswer) {
            assembly {
                mstore(0, shl(224, 0x1626ba7e))
                return(0, 4)
            }
        }
        return recover(hash, signature) == owner ? MAGIC_VALUE : WRONG_VALUE;
    }

    function recover(bytes32 hash, bytes calldata signature) private pure returns (address) {
        if (signature.length != 65) {
            return address(0);
        }
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) {
            v += 27;
        }
        return ecrecover(hash, v, r, s);
    }
}
