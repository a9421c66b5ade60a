// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// On-chain reputation points with history. Issuers (chosen by the owner) grant and revoke
/// points; every change is checkpointed by block number, so the reputation-weighted strategy
/// reads the value as of a proposal's snapshot block, exactly like ERC20Votes.getPastVotes.
contract ReputationRegistry is Ownable {
    using Checkpoints for Checkpoints.Trace208;

    mapping(address => bool) public isIssuer;
    mapping(address => Checkpoints.Trace208) private _reputation;
    Checkpoints.Trace208 private _total;

    event IssuerSet(address indexed issuer, bool allowed);
    event ReputationGranted(address indexed issuer, address indexed account, uint256 points, uint256 newReputation);
    event ReputationRevoked(address indexed issuer, address indexed account, uint256 points, uint256 newReputation);

    error NotIssuer(address caller);
    error InsufficientReputation(address account, uint256 current, uint256 requested);
    /// Like ERC20Votes: the current block is still open, so its value is not final yet.
    error FutureLookup(uint256 blockNumber, uint256 currentBlock);

    constructor(address owner_) Ownable(owner_) {}

    modifier onlyIssuer() {
        if (!isIssuer[msg.sender]) revert NotIssuer(msg.sender);
        _;
    }

    function setIssuer(address issuer, bool allowed) external onlyOwner {
        isIssuer[issuer] = allowed;
        emit IssuerSet(issuer, allowed);
    }

    function grant(address account, uint256 points) external onlyIssuer {
        uint256 updated = _reputation[account].latest() + points;
        _reputation[account].push(clock(), SafeCast.toUint208(updated));
        _total.push(clock(), SafeCast.toUint208(_total.latest() + points));
        emit ReputationGranted(msg.sender, account, points, updated);
    }

    /// Revoking more than an account holds is an error rather than a silent clamp, so the
    /// issuer's books and the chain never disagree.
    function revoke(address account, uint256 points) external onlyIssuer {
        uint256 current = _reputation[account].latest();
        if (points > current) revert InsufficientReputation(account, current, points);
        uint256 updated = current - points;
        _reputation[account].push(clock(), SafeCast.toUint208(updated));
        _total.push(clock(), _total.latest() - SafeCast.toUint208(points));
        emit ReputationRevoked(msg.sender, account, points, updated);
    }

    function clock() public view returns (uint48) {
        return SafeCast.toUint48(block.number);
    }

    function reputationOf(address account) external view returns (uint256) {
        return _reputation[account].latest();
    }

    /// Reputation at the end of `blockNumber`. Reverts unless the block is already mined.
    function reputationAt(address account, uint256 blockNumber) external view returns (uint256) {
        return _reputation[account].upperLookupRecent(_pastTimepoint(blockNumber));
    }

    function totalReputation() external view returns (uint256) {
        return _total.latest();
    }

    function totalReputationAt(uint256 blockNumber) external view returns (uint256) {
        return _total.upperLookupRecent(_pastTimepoint(blockNumber));
    }

    function _pastTimepoint(uint256 blockNumber) private view returns (uint48) {
        uint48 current = clock();
        if (blockNumber >= current) revert FutureLookup(blockNumber, current);
        return SafeCast.toUint48(blockNumber);
    }
}
