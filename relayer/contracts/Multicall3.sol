// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Batches read calls into one eth_call. ABI-compatible with the canonical Multicall3's
/// `aggregate3` (deployed at 0xcA11bde05977b3631167028862bE2a173976CA11 on most chains), so the
/// server talks to either one the same way. Tests install this contract at the canonical address.
contract Multicall3 {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// A call with allowFailure = false failed; the whole batch reverts with its index and revert data.
    error CallFailed(uint256 index, bytes returnData);

    /// Runs every call in order and returns each one's success flag and return data.
    /// Calls to addresses without code succeed with empty return data, as the EVM does;
    /// callers must treat empty data as "no answer".
    function aggregate3(Call3[] calldata calls) external returns (Result[] memory results) {
        uint256 count = calls.length;
        results = new Result[](count);
        for (uint256 i = 0; i < count; ++i) {
            Call3 calldata call = calls[i];
            (bool success, bytes memory returnData) = call.target.call(call.callData);
            if (!success && !call.allowFailure) revert CallFailed(i, returnData);
            results[i] = Result(success, returnData);
        }
    }

    function getBlockNumber() external view returns (uint256) {
        return block.number;
    }

    function getCurrentBlockTimestamp() external view returns (uint256) {
        return block.timestamp;
    }

    function getChainId() external view returns (uint256) {
        return block.chainid;
    }
}
