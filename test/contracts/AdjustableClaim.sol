// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IERC20Pull {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// A payee whose claim its owner can raise after a vote without changing its code (so the code-hash
/// pin does not see it): the payload-simulation test's "larger outflow than voted". The payload approves
/// it and calls claim(); it pulls `amount` from the caller (the treasury) to its owner.
contract AdjustableClaim {
    address public immutable owner;
    IERC20Pull public immutable token;
    uint256 public amount;

    constructor(address token_, uint256 amount_) {
        owner = msg.sender;
        token = IERC20Pull(token_);
        amount = amount_;
    }

    function setAmount(uint256 amount_) external {
        require(msg.sender == owner, "not the owner");
        amount = amount_;
    }

    function claim() external {
        require(token.transferFrom(msg.sender, owner, amount), "transfer failed");
    }
}
