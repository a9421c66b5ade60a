// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Runs a proposal's whole batch as its executor would, in one eth_call (issue 18, item 5).
/// Never deployed: the server and the relayer put this runtime code at the executor's address with an
/// eth_call state override (core/simulation/batch.ts). The executor keeps its storage and balances, so
/// each call is made from the executor, with its tokens and ether, in order, as
/// TimelockController.executeBatch makes them; later calls see what earlier ones did. The balances of the
/// given (token, account) pairs are read before and after the batch in the same call.
contract BatchSimulator {
    /// @param batch abi.encode(address[] targets, uint256[] values, bytes[] calldatas): the payload
    /// @param tokens token of each probed pair; address(0) for ether
    /// @param accounts account of each probed pair
    /// @return failedIndex the first call that reverted, or type(uint256).max when all succeeded
    /// @return revertData that call's revert data
    /// @return before balances before the batch, per pair
    /// @return afterwards balances after the batch, per pair (zero when a call failed)
    /// @return readable false where the token did not answer balanceOf
    function simulate(bytes calldata batch, address[] calldata tokens, address[] calldata accounts)
        external
        returns (uint256 failedIndex, bytes memory revertData, uint256[] memory before, uint256[] memory afterwards, bool[] memory readable)
    {
        (readable, before) = _balances(tokens, accounts);
        (failedIndex, revertData) = _run(batch);
        if (failedIndex == type(uint256).max) (, afterwards) = _balances(tokens, accounts);
        else afterwards = new uint256[](tokens.length);
    }

    function _run(bytes calldata batch) private returns (uint256, bytes memory) {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = abi.decode(batch, (address[], uint256[], bytes[]));
        for (uint256 i = 0; i < targets.length; i++) {
            if (values[i] > address(this).balance) {
                // Some nodes run a call with value the sender cannot pay: say it the way a revert would.
                return (i, abi.encodeWithSignature("Error(string)", "the executor's ether balance is below the call's value"));
            }
            (bool ok, bytes memory ret) = targets[i].call{value: values[i]}(calldatas[i]);
            if (!ok) return (i, ret);
        }
        return (type(uint256).max, "");
    }

    function _balances(address[] calldata tokens, address[] calldata accounts) private view returns (bool[] memory readable, uint256[] memory amounts) {
        readable = new bool[](tokens.length);
        amounts = new uint256[](tokens.length);
        for (uint256 i = 0; i < tokens.length; i++) (readable[i], amounts[i]) = _balance(tokens[i], accounts[i]);
    }

    function _balance(address token, address account) private view returns (bool, uint256) {
        if (token == address(0)) return (true, account.balance);
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSignature("balanceOf(address)", account));
        if (!ok || ret.length < 32) return (false, 0);
        return (true, abi.decode(ret, (uint256)));
    }
}
