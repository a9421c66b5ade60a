// Hardhat 2 is used only as a local dev chain (`hardhat node`); Solidity is compiled
// with the solc npm package (scripts/compile-contracts.ts), so no compiler download happens.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      // Hardhat mines each transaction on arrival; tests mine explicitly where they need blocks.
      mining: { auto: true },
      allowUnlimitedContractSize: false,
    },
  },
};
