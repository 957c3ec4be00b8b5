// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IContributionRegistry} from "../interfaces/IContributionRegistry.sol";

/// @title ContributionCommitments
/// @notice Commitments of the commit-reveal path and the EIP-712 signatures of the gasless
/// paths (see IContributionRegistry: front-running).
/// @dev The contributor is bound by the storage key (who committed, or who signed), so the
/// commitment hash itself covers only the datanet, the items, the bond limit and a salt.
abstract contract ContributionCommitments is IContributionRegistry, EIP712 {
    /// @inheritdoc IContributionRegistry
    uint256 public constant MIN_REVEAL_DELAY = 1 minutes;
    /// @inheritdoc IContributionRegistry
    uint256 public constant COMMITMENT_LIFETIME = 1 days;

    /// @dev EIP-712 type of a signed commitment.
    bytes32 private constant COMMIT_TYPEHASH = keccak256(
        "Commit(address contributor,bytes32 commitment,uint256 nonce,uint256 deadline)"
    );

    /// @dev When each commitment was made; deleted when revealed.
    mapping(address contributor => mapping(bytes32 commitment => uint256 committedAt)) private _commitments;

    /// @inheritdoc IContributionRegistry
    function commit(bytes32 commitment) external {
        _commit(msg.sender, commitment);
    }

    /// @inheritdoc IContributionRegistry
    function commitWithSig(
        address contributor,
        bytes32 commitment,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(COMMIT_TYPEHASH, contributor, commitment, _useNonce(contributor), deadline)
        );
        _checkSignature(contributor, structHash, deadline, signature);
        _commit(contributor, commitment);
    }

    /// @inheritdoc IContributionRegistry
    function committedAt(address contributor, bytes32 commitment) external view returns (uint256) {
        return _commitments[contributor][commitment];
    }

    /// @inheritdoc IContributionRegistry
    function hashCommitment(
        uint256 datanetId,
        bytes32[] calldata contentHashes,
        string[] calldata uris,
        uint96 maxBond_,
        bytes32 salt
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(datanetId, contentHashes, uris, maxBond_, salt));
    }

    /// @notice The EIP-712 domain separator signed contributions and commitments are bound to.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @dev Deletes a commitment that is due for reveal and returns when it was made.
    function _useCommitment(address contributor, bytes32 commitment) internal returns (uint256 madeAt) {
        madeAt = _commitments[contributor][commitment];
        if (madeAt == 0) revert UnknownCommitment(contributor, commitment);
        uint256 revealableAt = madeAt + MIN_REVEAL_DELAY;
        if (block.timestamp < revealableAt) revert RevealTooEarly(revealableAt);
        uint256 expiresAt = madeAt + COMMITMENT_LIFETIME;
        if (block.timestamp > expiresAt) revert CommitmentExpired(expiresAt);
        delete _commitments[contributor][commitment];
    }

    /// @dev Reverts unless `signature` is `signer`'s (EOA or ERC-1271) over `structHash` and
    /// `deadline` has not passed.
    function _checkSignature(
        address signer,
        bytes32 structHash,
        uint256 deadline,
        bytes calldata signature
    ) internal view {
        if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
        if (!SignatureChecker.isValidSignatureNow(signer, _hashTypedDataV4(structHash), signature)) {
            revert InvalidSignature(signer);
        }
    }

    /// @dev Returns `account`'s current signature nonce and consumes it.
    function _useNonce(address account) internal virtual returns (uint256);

    function _commit(address contributor, bytes32 commitment) private {
        mapping(bytes32 => uint256) storage mine = _commitments[contributor];
        // The first commitment stands: re-committing would push its priority later.
        if (mine[commitment] != 0) revert CommitmentExists(contributor, commitment);
        mine[commitment] = block.timestamp;
        emit Committed(contributor, commitment);
    }
}
