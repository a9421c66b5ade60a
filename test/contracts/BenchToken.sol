// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// Test-only ERC20 for bench/bench.ts: funds many holders per transaction, so 100,000 voters with
/// real balances cost about a hundred transactions. Plain balances (no ERC20Votes checkpoints):
/// the bench space reads them with the token-weighted strategy's `balanceOf` method.
contract BenchToken is ERC20 {
    address public immutable owner;

    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {
        owner = msg.sender;
    }

    /// Mints `amount` to every address in `to`.
    function mintMany(address[] calldata to, uint256 amount) external {
        require(msg.sender == owner, "BenchToken: not owner");
        for (uint256 i = 0; i < to.length; ++i) {
            _mint(to[i], amount);
        }
    }
}
