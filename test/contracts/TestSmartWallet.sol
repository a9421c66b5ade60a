// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// Test-only EIP-1271 wallet owned by one EOA: a signature is valid iff it is the owner's ECDSA
/// signature over the hash. The owner can hand the wallet to another key, which changes the
/// wallet's answers for old signatures (why govrelay records the block of each contract check).
contract TestSmartWallet is IERC1271 {
    address public owner;

    event OwnerChanged(address indexed previousOwner, address indexed newOwner);

    error NotOwner();

    constructor(address owner_) {
        owner = owner_;
    }

    function setOwner(address newOwner) external {
        if (msg.sender != owner) revert NotOwner();
        emit OwnerChanged(owner, newOwner);
        owner = newOwner;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError recoverError,) = ECDSA.tryRecover(hash, signature);
        if (recoverError == ECDSA.RecoverError.NoError && recovered == owner) return IERC1271.isValidSignature.selector;
        return 0xffffffff;
    }
}
