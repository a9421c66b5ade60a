// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// Deployless signature check for contract wallets (EIP-1271), including counterfactual wallets
/// that are not deployed yet (ERC-6492).
///
/// Never deployed: the server sends eth_call with no `to` and data = creation code ++
/// abi.encode(signer, hash, signature). The constructor runs inside the call, deploys the wallet
/// through its factory when the signature is ERC-6492-wrapped and the signer has no code, asks
/// the wallet, and returns one 32-byte word (1 = valid, 0 = not valid) instead of runtime code.
/// Nothing persists: an eth_call changes no state.
contract SignatureValidator {
    /// ERC-6492 marks a wrapped signature by this 32-byte suffix.
    bytes32 private constant ERC6492_SUFFIX = 0x6492649264926492649264926492649264926492649264926492649264926492;

    /// The counterfactual wallet's factory call reverted, so the wallet could not be deployed.
    error FactoryCallFailed(address factory, bytes reason);

    constructor(address signer, bytes32 hash, bytes memory signature) {
        bool valid = _isValidSignature(signer, hash, signature);
        assembly {
            mstore(0, valid)
            return(0, 32)
        }
    }

    function _isValidSignature(address signer, bytes32 hash, bytes memory signature) private returns (bool) {
        bytes memory walletSignature = signature;
        if (_hasErc6492Suffix(signature)) {
            address factory;
            bytes memory factoryCalldata;
            (factory, factoryCalldata, walletSignature) =
                abi.decode(_withoutSuffix(signature), (address, bytes, bytes));
            if (signer.code.length == 0) {
                (bool deployed, bytes memory reason) = factory.call(factoryCalldata);
                if (!deployed) revert FactoryCallFailed(factory, reason);
            }
        }
        if (signer.code.length == 0) return false;
        return _askWallet(signer, hash, walletSignature);
    }

    /// Low-level call: a wallet that reverts or returns malformed data means "not valid",
    /// never a revert of the whole check.
    function _askWallet(address wallet, bytes32 hash, bytes memory signature) private view returns (bool) {
        (bool ok, bytes memory result) =
            wallet.staticcall(abi.encodeCall(IERC1271.isValidSignature, (hash, signature)));
        if (!ok || result.length < 32) return false;
        bytes32 word;
        assembly {
            word := mload(add(result, 32))
        }
        return word == bytes32(IERC1271.isValidSignature.selector);
    }

    function _hasErc6492Suffix(bytes memory signature) private pure returns (bool) {
        if (signature.length < 32) return false;
        bytes32 tail;
        assembly {
            tail := mload(add(signature, mload(signature)))
        }
        return tail == ERC6492_SUFFIX;
    }

    /// Drops the suffix in place (the memory is ours; only the length word changes).
    function _withoutSuffix(bytes memory signature) private pure returns (bytes memory) {
        assembly {
            mstore(signature, sub(mload(signature), 32))
        }
        return signature;
    }
}
