// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {ContributionRegistry} from "../../contracts/ContributionRegistry.sol";
import {IContributionRegistry} from "../../contracts/interfaces/IContributionRegistry.sol";
import {OpenToken} from "../../contracts/OpenToken.sol";
import {RegistryBase} from "./ContributionRegistry.t.sol";

/// @dev Drives the registry with random contributions (direct and batch), reviews,
/// finalizations, withdrawals, bond changes and time jumps, and records every id made.
contract RegistryHandler is Test {
    ContributionRegistry internal immutable REGISTRY;
    OpenToken internal immutable TOKEN;
    address internal immutable CURATOR;

    address[] public actors;
    address[] public reviewers;
    uint256[] public datanets;
    bytes32[] public ids;
    mapping(bytes32 id => IContributionRegistry.Status) public lastStatus;
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
        ids.push(REGISTRY.contribute(datanetId, contentHash, "ipfs://c"));
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
        bytes32[] memory made = REGISTRY.contributeBatch(datanetId, hashes, uris);
        for (uint256 i; i < made.length; ++i) ids.push(made[i]);
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

    function warp(uint32 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 2 days));
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    /// @dev Statuses only move forward: Pending → Accepted | Rejected | Withdrawn, Accepted → Withdrawn.
    function _checkStatuses() private {
        for (uint256 i; i < ids.length; ++i) {
            IContributionRegistry.Status before = lastStatus[ids[i]];
            IContributionRegistry.Status current = REGISTRY.getContribution(ids[i]).status;
            bool allowed =
                current == before ||
                    before == IContributionRegistry.Status.None ||
                    before == IContributionRegistry.Status.Pending ||
                    (before == IContributionRegistry.Status.Accepted &&
                        current == IContributionRegistry.Status.Withdrawn);
            if (!allowed) statusRegressed = true;
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

    /// Every account's reputation equals the counts of its contributions' statuses.
    function invariant_reputationMatchesStatuses() public view {
        for (uint256 a; a < handler.actorCount(); ++a) {
            address actor = handler.actors(a);
            uint256 submitted;
            uint256 accepted;
            uint256 rejected;
            uint256 withdrawn;
            uint256 slashed;
            for (uint256 i; i < handler.idCount(); ++i) {
                IContributionRegistry.Contribution memory c = registry.getContribution(handler.ids(i));
                if (c.contributor != actor) continue;
                ++submitted;
                if (c.status == IContributionRegistry.Status.Accepted) ++accepted;
                if (c.status == IContributionRegistry.Status.Rejected) {
                    ++rejected;
                    slashed += c.bond;
                }
                if (c.status == IContributionRegistry.Status.Withdrawn) ++withdrawn;
            }
            IContributionRegistry.Reputation memory rep = registry.reputation(actor);
            assertEq(rep.submitted, submitted, "submitted");
            assertEq(rep.accepted, accepted, "accepted");
            assertEq(rep.rejected, rejected, "rejected");
            assertEq(rep.withdrawn, withdrawn, "withdrawn");
            assertEq(rep.slashed, slashed, "slashed");
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
