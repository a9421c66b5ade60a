// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// On-chain anchor of govrelay's verifiable message log (docs/api.md, "On-chain anchoring").
///
/// The relayer posts the server's latest signed tree head here every LOG_ANCHOR_INTERVAL_MS
/// (relayer/log-anchor.ts). Once a head is on chain, a server that later presents a history whose
/// tree of that size has another root (or no consistency proof to it) contradicts the chain, and
/// `npm run verify -- --anchor <this address>` names it.
///
/// Deliberately minimal: the contract checks who posts and that the log only grows; it does not
/// check the head's signature (the receipt key may be rotated without redeploying; every reader
/// checks the signature, published in the event, against the server's receipt signer).
contract LogAnchor {
    /// The only address allowed to anchor (the relayer's), fixed at deployment.
    address public immutable submitter;

    /// The latest anchored head (treeSize 0: nothing anchored yet).
    uint64 public latestTreeSize;
    bytes32 public latestRootHash;
    uint64 public latestTimestamp;

    /// One event per anchored head: the signed tree head as the server published it
    /// (treeSize, rootHash, timestamp in unix ms, the receipt key's signature r ‖ s ‖ v).
    event TreeHeadAnchored(uint64 indexed treeSize, bytes32 rootHash, uint64 timestamp, bytes signature);

    error ZeroSubmitter();
    error NotSubmitter(address caller);
    /// The log is append-only: an anchor must be larger than the last one.
    error TreeSizeNotIncreasing(uint64 treeSize, uint64 latestTreeSize);

    constructor(address submitter_) {
        if (submitter_ == address(0)) revert ZeroSubmitter();
        submitter = submitter_;
    }

    /// Records a signed tree head of the log. Only the submitter; treeSize must exceed the latest.
    function anchor(uint64 treeSize, bytes32 rootHash, uint64 timestamp, bytes calldata signature) external {
        if (msg.sender != submitter) revert NotSubmitter(msg.sender);
        if (treeSize <= latestTreeSize) revert TreeSizeNotIncreasing(treeSize, latestTreeSize);
        latestTreeSize = treeSize;
        latestRootHash = rootHash;
        latestTimestamp = timestamp;
        emit TreeHeadAnchored(treeSize, rootHash, timestamp, signature);
    }
}
