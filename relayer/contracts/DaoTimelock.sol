// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// The DAO's TimelockController: it holds the treasury and runs every executed proposal after
/// `minDelay` seconds (7 days in the demo). Nothing is added to OpenZeppelin's contract; the roles
/// are set by scripts/deploy.ts (proposers: the relayer and the Governor; executors: the relayer
/// and the Governor; canceller: the guardian and the Governor).
contract DaoTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
