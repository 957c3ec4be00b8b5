// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IContributionRegistry} from "../interfaces/IContributionRegistry.sol";
import {Datanets} from "./Datanets.sol";

/// @title ContributionRecords
/// @notice How the ContributionRegistry stores contributions and reviewers' marks, and the
/// reads over them.
abstract contract ContributionRecords is Datanets {
    /// @dev A contribution as stored. Slot 0, the only slot written at submission:
    /// contributor 160 | datanetId 24 | submittedAt 32 | status 8 | approvals 8 |
    /// rejections 8 | rulesIndex 8 | viaCommitment 8. Its bond is the bond of its rules and is
    /// escrowed exactly while the status is Pending. Slot 1, written when the contribution is
    /// decided, withdrawn or submitted again: decidedAt 40 | withdrawnAt 40 | previousWithdrawnAt 40.
    struct Record {
        address contributor;
        uint24 datanetId;
        uint32 submittedAt;
        Status status;
        uint8 approvals;
        uint8 rejections;
        uint8 rulesIndex;
        bool viaCommitment;
        uint40 decidedAt;
        uint40 withdrawnAt;
        uint40 previousWithdrawnAt;
    }

    mapping(bytes32 contributionId => Record) private _contributions;
    /// @dev The `submittedAt` of the submission each reviewer reviewed (so a re-submission,
    /// always in a later second, is reviewed afresh).
    mapping(bytes32 contributionId => mapping(address reviewer => uint256 submittedAt)) private _reviewedAt;

    /// @inheritdoc IContributionRegistry
    function hasReviewed(bytes32 id, address reviewer) external view returns (bool) {
        Record storage c = _contributions[id];
        return c.status != Status.None && _reviewedAt[id][reviewer] == c.submittedAt;
    }

    /// @inheritdoc IContributionRegistry
    function getContribution(bytes32 id) external view returns (Contribution memory) {
        Record memory r = _contributions[id];
        return
            Contribution(
                r.contributor,
                r.datanetId,
                r.submittedAt,
                r.status,
                r.approvals,
                r.rejections,
                r.status == Status.None ? 0 : _rulesOf(r.datanetId, r.rulesIndex).bond,
                r.decidedAt,
                r.withdrawnAt,
                r.rulesIndex,
                r.viaCommitment,
                r.previousWithdrawnAt
            );
    }

    /// @inheritdoc IContributionRegistry
    function contributionId(uint256 datanetId, bytes32 contentHash) public pure returns (bytes32 id) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, datanetId)
            mstore(0x20, contentHash)
            id := keccak256(0x00, 0x40)
        }
    }

    /// @dev The stored contribution `id` (all zero if unknown).
    function _stored(bytes32 id) internal view returns (Record storage) {
        return _contributions[id];
    }

    /// @dev Marks `reviewer` as having reviewed the current submission of `id`, or reverts if it did.
    function _markReviewed(bytes32 id, address reviewer, uint256 submittedAt) internal {
        if (_reviewedAt[id][reviewer] == submittedAt) revert AlreadyReviewed(id, reviewer);
        _reviewedAt[id][reviewer] = submittedAt;
    }

    /// @dev Writes a new pending submission into slot 0 of `c` in one write, packed as the
    /// `Record` layout says (approvals and rejections 0). datanetId fits 24 bits: it is an
    /// existing id, ≤ the datanet count; submittedAt fits 32 bits until the year 2106.
    function _writeSubmission(
        Record storage c,
        address contributor,
        uint256 datanetId,
        uint8 rulesIndex,
        bool viaCommitment
    ) internal {
        uint256 word =
            uint256(uint160(contributor)) |
                (datanetId << 160) |
                (block.timestamp << 184) |
                (uint256(uint8(Status.Pending)) << 216) |
                (uint256(rulesIndex) << 240) |
                (viaCommitment ? 1 << 248 : 0);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(c.slot, word)
        }
    }

    function _pendingContribution(bytes32 id) internal view returns (Record storage c) {
        c = _contributions[id];
        Status status = c.status;
        if (status == Status.None) revert UnknownContribution(id);
        if (status != Status.Pending) revert InvalidStatus(id, status);
    }
}
