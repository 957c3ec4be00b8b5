// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title MerkleLeaves
/// @notice The leaves of attribution reports and how they are proven: OpenZeppelin
/// StandardMerkleTree leaves of three 32-byte values, `keccak256(bytes.concat(keccak256(abi.encode(a, b, c))))`,
/// with pairs hashed in sorted order.
/// - weights leaf: `(bytes32 contributionId, address contributor, uint256 weight)`;
/// - rewards leaf: `(uint256 modelId, address account, uint256 cumulativeAmount)`.
library MerkleLeaves {
    /// @dev The leaf of `(a, account, amount)`, hashed in scratch memory (no allocation); the
    /// free memory pointer is restored. A weights leaf passes its contribution id as `a`, a
    /// rewards leaf its model id: both encode as one 32-byte word.
    function leaf(bytes32 a, address account, uint256 amount) internal pure returns (bytes32 hash) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let freePointer := mload(0x40)
            mstore(0x00, a)
            mstore(0x20, account)
            mstore(0x40, amount)
            mstore(0x00, keccak256(0x00, 0x60))
            hash := keccak256(0x00, 0x20)
            mstore(0x40, freePointer)
        }
    }

    /// @dev OpenZeppelin's `MerkleProof.verifyCalldata` (pairs hashed in sorted order, as
    /// StandardMerkleTree builds them) without a function call per level: about 50 gas less
    /// per proof level. Uses only the scratch space. A fuzz test checks it against OpenZeppelin's.
    function verify(bytes32[] calldata proof, bytes32 root, bytes32 node) internal pure returns (bool) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let end := add(proof.offset, shl(5, proof.length))
            for {
                let p := proof.offset
            } lt(p, end) {
                p := add(p, 0x20)
            } {
                let sibling := calldataload(p)
                // The smaller of the two goes first: the node at 0x20 when it is the larger.
                let nodeAt := shl(5, gt(node, sibling))
                mstore(nodeAt, node)
                mstore(xor(nodeAt, 0x20), sibling)
                node := keccak256(0x00, 0x40)
            }
        }
        return node == root;
    }
}
