// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {ContributionRegistry} from "../../contracts/ContributionRegistry.sol";
import {IContributionRegistry} from "../../contracts/interfaces/IContributionRegistry.sol";
import {OpenToken} from "../../contracts/OpenToken.sol";
import {RegistryBase} from "./ContributionRegistry.t.sol";

/// @dev Drives the registry with random contributions (direct, batch and commit-reveal),
/// reviews, finalizations, withdrawals (pending and accepted), attacker moves (re-submitting
/// someone else's content, front-running a reveal, withdrawing after a rejection vote),
/// rule changes and time jumps; records every id made and keeps ghost reputation counters
/// from the status transitions it sees.
contract RegistryHandler is Test {
    ContributionRegistry internal immutable REGISTRY;
    OpenToken internal immutable TOKEN;
    address internal immutable CURATOR;

    address[] public actors;
    address[] public reviewers;
    uint256[] public datanets;
    bytes32[] public ids;
    mapping(bytes32 id => bytes32 contentHash) internal _contentOf;
    mapping(bytes32 id => uint256 datanetId) internal _datanetOf;
    mapping(bytes32 id => IContributionRegistry.Status) public lastStatus;
    /// @notice Reputation counters expected from the transitions seen.
    mapping(address actor => uint256) public ghostSubmitted;
    mapping(address actor => uint256) public ghostRejected;
    mapping(address actor => uint256) public ghostWithdrawn;
    mapping(address actor => uint256) public ghostSlashed;
    /// @notice Set when a status ever moved backwards or left a final status.
    bool public statusRegressed;
    uint256 internal _nonce;

    constructor(
        ContributionRegistry registry,
        OpenToken token,
        address curator,
        address[] memory actors_,
        address[] memory reviewers_,
        uint256[] memory datanets_
    ) {
        REGISTRY = registry;
        TOKEN = token;
        CURATOR = curator;
        actors = actors_;
        reviewers = reviewers_;
        datanets = datanets_;
    }

    function contribute(uint256 actorSeed, uint256 datanetSeed) external {
        address actor = actors[actorSeed % actors.length];
        uint256 datanetId = datanets[datanetSeed % datanets.length];
        bytes32 contentHash = keccak256(abi.encode("content", _nonce++));
        vm.prank(actor);
        _track(
            REGISTRY.contribute(datanetId, contentHash, "ipfs://c", type(uint96).max),
            datanetId,
            contentHash
        );
        ++ghostSubmitted[actor];
        _checkStatuses();
    }

    /// Attacker move: submit the content of an existing contribution again (taking it
    /// when it is free, failing when it is not).
    function resubmit(uint256 idSeed, uint256 actorSeed) external {
        if (ids.length == 0) return;
        bytes32 id = ids[idSeed % ids.length];
        address actor = actors[actorSeed % actors.length];
        vm.prank(actor);
        try REGISTRY.contribute(_datanetOf[id], _contentOf[id], "ipfs://again", type(uint96).max) {
            ++ghostSubmitted[actor];
        } catch {}
        _checkStatuses();
    }

    /// Commit-reveal of fresh content by `actor`, with an attacker front-running the reveal
    /// by a direct copy of one item (displaced by the reveal).
    function commitAndRevealFrontRun(uint256 actorSeed, uint256 attackerSeed, uint256 datanetSeed) external {
        address actor = actors[actorSeed % actors.length];
        address attacker = actors[attackerSeed % actors.length];
        uint256 datanetId = datanets[datanetSeed % datanets.length];
        bytes32[] memory hashes = new bytes32[](2);
        string[] memory uris = new string[](2);
        for (uint256 i; i < 2; ++i) {
            hashes[i] = keccak256(abi.encode("content", _nonce++));
            uris[i] = "ipfs://r";
        }
        bytes32 commitment = REGISTRY.hashCommitment(
            datanetId,
            hashes,
            uris,
            type(uint96).max,
            bytes32(_nonce)
        );
        vm.prank(actor);
        REGISTRY.commit(commitment);
        vm.warp(block.timestamp + REGISTRY.MIN_REVEAL_DELAY());
        if (attacker != actor) {
            vm.prank(attacker);
            REGISTRY.contribute(datanetId, hashes[0], "ipfs://copy", type(uint96).max);
            ++ghostSubmitted[attacker];
            _track(REGISTRY.contributionId(datanetId, hashes[0]), datanetId, hashes[0]);
            _checkStatuses();
            --ghostSubmitted[attacker]; // the reveal below displaces the copy
        }
        bytes32[] memory made = REGISTRY.reveal(
            actor,
            datanetId,
            hashes,
            uris,
            type(uint96).max,
            bytes32(_nonce)
        );
        ghostSubmitted[actor] += 2;
        for (uint256 i; i < made.length; ++i) _track(made[i], datanetId, hashes[i]);
        _checkStatuses();
    }

    function contributeBatch(uint256 actorSeed, uint256 datanetSeed, uint8 size) external {
        address actor = actors[actorSeed % actors.length];
        uint256 datanetId = datanets[datanetSeed % datanets.length];
        size = uint8(bound(size, 1, 5));
        bytes32[] memory hashes = new bytes32[](size);
        string[] memory uris = new string[](size);
        for (uint256 i; i < size; ++i) {
            hashes[i] = keccak256(abi.encode("content", _nonce++));
            uris[i] = "ipfs://b";
        }
        vm.prank(actor);
        bytes32[] memory made = REGISTRY.contributeBatch(datanetId, hashes, uris, type(uint96).max);
        for (uint256 i; i < made.length; ++i) _track(made[i], datanetId, hashes[i]);
        ghostSubmitted[actor] += size;
        _checkStatuses();
    }

    function review(uint256 idSeed, uint256 reviewerSeed, bool approve) external {
        if (ids.length == 0) return;
        vm.prank(reviewers[reviewerSeed % reviewers.length]);
        REGISTRY.review(ids[idSeed % ids.length], approve);
        _checkStatuses();
    }

    function finalize(uint256 idSeed) external {
        if (ids.length == 0) return;
        REGISTRY.finalize(ids[idSeed % ids.length]);
        _checkStatuses();
    }

    function withdraw(uint256 idSeed) external {
        if (ids.length == 0) return;
        bytes32 id = ids[idSeed % ids.length];
        vm.prank(REGISTRY.getContribution(id).contributor);
        REGISTRY.withdraw(id);
        _checkStatuses();
    }

    function changeBond(uint256 datanetSeed, uint96 bond) external {
        uint256 datanetId = datanets[datanetSeed % datanets.length];
        (, , IContributionRegistry.DatanetSettings memory settings, , , ) = REGISTRY.getDatanet(datanetId);
        settings.bond = uint96(bound(bond, 0, 100 ether));
        vm.prank(CURATOR);
        REGISTRY.updateDatanetSettings(datanetId, settings);
    }

    /// Attacker move by the datanet owner: make pending contributions optimistic with no
    /// window and try to finalize them all (their own rules still apply).
    function switchRulesAndFinalize(uint256 datanetSeed) external {
        uint256 datanetId = datanets[datanetSeed % datanets.length];
        (, , IContributionRegistry.DatanetSettings memory settings, , , ) = REGISTRY.getDatanet(datanetId);
        settings.optimistic = true;
        settings.reviewWindow = 0;
        settings.reviewQuorum = 1;
        vm.prank(CURATOR);
        REGISTRY.updateDatanetSettings(datanetId, settings);
        for (uint256 i; i < ids.length; ++i) {
            try REGISTRY.finalize(ids[i]) {} catch {}
        }
        _checkStatuses();
    }

    function warp(uint32 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 2 days));
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function _track(bytes32 id, uint256 datanetId, bytes32 contentHash) private {
        if (_contentOf[id] != bytes32(0)) return;
        ids.push(id);
        _contentOf[id] = contentHash;
        _datanetOf[id] = datanetId;
    }

    /// @dev Statuses move Pending → Accepted | Rejected | Withdrawn, Accepted → Withdrawn, and
    /// back to Pending only by a re-submission (Rejected | Withdrawn → Pending). Counts the
    /// decisions into the ghost counters of the contributor on record.
    function _checkStatuses() private {
        for (uint256 i; i < ids.length; ++i) {
            IContributionRegistry.Status before = lastStatus[ids[i]];
            IContributionRegistry.Contribution memory c = REGISTRY.getContribution(ids[i]);
            IContributionRegistry.Status current = c.status;
            if (current == before) continue;
            bool allowed =
                before == IContributionRegistry.Status.None ||
                    before == IContributionRegistry.Status.Pending ||
                    (before == IContributionRegistry.Status.Accepted &&
                        current == IContributionRegistry.Status.Withdrawn) ||
                    current == IContributionRegistry.Status.Pending;
            if (!allowed) statusRegressed = true;
            if (current == IContributionRegistry.Status.Rejected) {
                ++ghostRejected[c.contributor];
                ghostSlashed[c.contributor] += c.bond;
            }
            if (current == IContributionRegistry.Status.Withdrawn) ++ghostWithdrawn[c.contributor];
            lastStatus[ids[i]] = current;
        }
    }
}

contract ContributionRegistryInvariantTest is RegistryBase {
    RegistryHandler internal handler;

    function setUp() public {
        _deploy();
        address[] memory actors = new address[](3);
        address[] memory reviewers = new address[](3);
        uint256[] memory datanets = new uint256[](3);
        datanets[0] = _createDatanet(0, 1);
        datanets[1] = _createDatanet(5 ether, 2);
        datanets[2] = _createDatanet(1 ether, 3);
        for (uint256 i; i < 3; ++i) {
            actors[i] = makeAddr(string(abi.encodePacked("actor", vm.toString(i))));
            reviewers[i] = makeAddr(string(abi.encodePacked("reviewer", vm.toString(i))));
            _fund(actors[i], 10_000_000 ether);
            for (uint256 d; d < 3; ++d) {
                vm.prank(curator);
                registry.setReviewer(datanets[d], reviewers[i], true);
            }
        }
        handler = new RegistryHandler(registry, token, curator, actors, reviewers, datanets);
        targetContract(address(handler));
    }

    /// The registry holds exactly the bonds of pending contributions.
    function invariant_escrowEqualsPendingBonds() public view {
        uint256 pendingBonds;
        for (uint256 i; i < handler.idCount(); ++i) {
            IContributionRegistry.Contribution memory c = registry.getContribution(handler.ids(i));
            if (c.status == IContributionRegistry.Status.Pending) pendingBonds += c.bond;
        }
        assertEq(token.balanceOf(address(registry)), pendingBonds);
    }

    /// Statuses never move backwards.
    function invariant_statusesAreMonotone() public view {
        assertFalse(handler.statusRegressed());
    }

    /// Every account's reputation equals what its contributions went through: accepted
    /// counts what is accepted now; the other counters every transition seen.
    function invariant_reputationMatchesStatuses() public view {
        for (uint256 a; a < handler.actorCount(); ++a) {
            address actor = handler.actors(a);
            uint256 accepted;
            for (uint256 i; i < handler.idCount(); ++i) {
                IContributionRegistry.Contribution memory c = registry.getContribution(handler.ids(i));
                if (c.contributor == actor && c.status == IContributionRegistry.Status.Accepted) ++accepted;
            }
            IContributionRegistry.Reputation memory rep = registry.reputation(actor);
            assertEq(rep.submitted, handler.ghostSubmitted(actor), "submitted");
            assertEq(rep.accepted, accepted, "accepted");
            assertEq(rep.rejected, handler.ghostRejected(actor), "rejected");
            assertEq(rep.withdrawn, handler.ghostWithdrawn(actor), "withdrawn");
            assertEq(rep.slashed, handler.ghostSlashed(actor), "slashed");
        }
    }

    /// Slashed bonds all went to the treasury.
    function invariant_treasuryHoldsAllSlashedBonds() public view {
        uint256 slashed;
        for (uint256 a; a < handler.actorCount(); ++a) {
            slashed += registry.reputation(handler.actors(a)).slashed;
        }
        assertEq(token.balanceOf(treasury), slashed);
    }
}
